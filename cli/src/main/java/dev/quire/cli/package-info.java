/**
 * The {@code quire} command line: the root command, what it runs against ({@link dev.quire.cli.Io}: streams and
 * settings), {@code quire persister}, and how user errors become exit codes.
 */
package dev.quire.cli;
