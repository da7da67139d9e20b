/** The persister's SQL: history, quarantine, positions and snapshots, written through one transaction per batch. */
package dev.quire.persister.postgres;
