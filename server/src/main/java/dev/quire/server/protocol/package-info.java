/** The Hocuspocus and y-websocket wire formats: the only code that reads or writes frames. */
package dev.quire.server.protocol;
