/** Settings declared once (environment variable, default, check, doc) and read from the environment. */
package dev.quire.core.config;
