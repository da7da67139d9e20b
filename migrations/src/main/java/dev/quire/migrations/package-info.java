/**
 * Quire's PostgreSQL schema: the Flyway SQL migrations under {@code db/migration} and {@link
 * dev.quire.migrations.Migrations}, which applies them.
 */
package dev.quire.migrations;
