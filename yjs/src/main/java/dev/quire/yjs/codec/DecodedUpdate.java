package dev.quire.yjs.codec;

import java.util.List;

/** An update read into its structs (in the order they were written) and its delete set. */
public record DecodedUpdate(List<Struct> structs, DeleteSet deleteSet) {
}
