/** Front: ws. */
package dev.quire.server.ws;
