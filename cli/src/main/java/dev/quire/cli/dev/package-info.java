/** {@code quire dev}: the whole system in one process for a first try (embedded Kafka and PostgreSQL, a persister, a front). */
package dev.quire.cli.dev;
