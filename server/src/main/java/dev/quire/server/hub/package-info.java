/** Front: hub. */
package dev.quire.server.hub;
