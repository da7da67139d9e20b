/** Front: kafka. */
package dev.quire.server.kafka;
