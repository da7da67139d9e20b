/** What the front and the persister share: settings, the Kafka record format and the PostgreSQL store. */
package dev.quire.core;
