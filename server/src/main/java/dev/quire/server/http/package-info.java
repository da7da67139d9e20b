/** Front: HTTP endpoints beside the WebSockets (readiness checks, documents API). */
package dev.quire.server.http;
