/** The persister: a Kafka consumer group folding the update log into PostgreSQL history and snapshots, exactly once. */
package dev.quire.persister;
