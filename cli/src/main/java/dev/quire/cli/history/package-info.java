/**
 * {@code quire replay}, {@code quire history} and {@code quire rebuild}: reading and re-deriving the
 * PostgreSQL projection of the update log (settings from the {@code QUIRE_DATABASE_*} variables).
 */
package dev.quire.cli.history;
