/** Front: auth. */
package dev.quire.server.auth;
