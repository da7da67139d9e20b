/** The front: WebSocket endpoints for editors, every change through Kafka, documents loaded from PostgreSQL and Kafka. */
package dev.quire.server;
