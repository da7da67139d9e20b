/** {@code quire yjs}: decode, merge, diff, state vector and v1/v2 conversion of Yjs updates, over the {@code yjs} module. */
package dev.quire.cli.yjs;
