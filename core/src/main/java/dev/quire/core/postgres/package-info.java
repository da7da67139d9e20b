/** The PostgreSQL side shared by front, persister and tools: the connection pool and reads of the projection. */
package dev.quire.core.postgres;
