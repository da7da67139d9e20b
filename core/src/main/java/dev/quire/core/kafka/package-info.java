/** The Kafka side shared by front and persister: settings, the update record format, topic creation. */
package dev.quire.core.kafka;
