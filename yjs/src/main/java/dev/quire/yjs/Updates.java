package dev.quire.yjs;

import dev.quire.yjs.MalformedUpdateException.Reason;
import dev.quire.yjs.codec.DecodedUpdate;
import dev.quire.yjs.codec.ContentFormat;
import dev.quire.yjs.codec.StructReader;
import dev.quire.yjs.codec.UpdateFormat;
import dev.quire.yjs.internal.UpdateMerger;
import dev.quire.yjs.internal.UpdateOps;
import dev.quire.yjs.internal.UpdateSplitter;
import dev.quire.yjs.lib0.Lib0Reader;
import dev.quire.yjs.lib0.Lib0Writer;
import dev.quire.yjs.model.YDoc;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The operations yjs offers on encoded updates without a document, byte-equal to yjs 13.6:
 * merge, diff against a state vector, state vector of an update, v1/v2 conversion, validation.
 *
 * <pre>{@code
 * byte[] merged = Updates.mergeUpdates(List.of(u1, u2, u3));
 * byte[] sv = Updates.encodeStateVectorFromUpdate(merged);
 * byte[] missing = Updates.diffUpdate(merged, clientStateVector);
 * byte[] v2 = Updates.convertUpdateFormatV1ToV2(merged);
 * Updates.validate(untrusted);   // throws MalformedUpdateException
 * }</pre>
 *
 * <p>Every method throws {@link MalformedUpdateException}, and nothing else, when an input is not a
 * valid update (or state vector) of the stated format.
 */
public final class Updates {
    private static final byte[] EMPTY_MERGE = {0, 0};

    private Updates() {
    }

    /** Decodes a v1 update into structs and delete set. */
    public static DecodedUpdate decodeUpdate(byte[] update) {
        return decode(update, UpdateFormat.V1);
    }

    /** Decodes a v2 update into structs and delete set. */
    public static DecodedUpdate decodeUpdateV2(byte[] update) {
        return decode(update, UpdateFormat.V2);
    }

    /** Decodes an update of the given format. */
    public static DecodedUpdate decode(byte[] update, UpdateFormat format) {
        try {
            return StructReader.decode(update, format);
        } catch (RuntimeException e) {
            throw asMalformed(e);
        }
    }

    /**
     * Checks that {@code update} is a complete, well-formed update of {@code format} with nothing after it.
     *
     * @throws MalformedUpdateException describing the first problem found
     */
    public static void validate(byte[] update, UpdateFormat format) {
        try {
            var decoder = format.decoder(update);
            StructReader.readStructs(decoder, StructReader.maxStructs(update.length));
            dev.quire.yjs.codec.DeleteSet.read(decoder);
            if (decoder.rest().hasContent()) {
                throw decoder.rest().error(Reason.TRAILING_BYTES, decoder.rest().remaining() + " bytes after the delete set");
            }
        } catch (RuntimeException e) {
            throw asMalformed(e);
        }
    }

    /** {@code Y.mergeUpdates}: one v1 update holding all of them; a single update is returned as is. */
    public static byte[] mergeUpdates(List<byte[]> updates) {
        return merge(updates, UpdateFormat.V1);
    }

    /** {@code Y.mergeUpdatesV2}. */
    public static byte[] mergeUpdatesV2(List<byte[]> updates) {
        return merge(updates, UpdateFormat.V2);
    }

    private static byte[] merge(List<byte[]> updates, UpdateFormat format) {
        if (updates.size() == 1) {
            return updates.get(0);
        }
        if (updates.isEmpty() && format == UpdateFormat.V1) {
            return EMPTY_MERGE.clone();
        }
        try {
            return UpdateMerger.mergeBytes(updates, format, format);
        } catch (RuntimeException e) {
            throw asMalformed(e);
        }
    }

    /**
     * Splits a v1 update into several v1 updates, each at most about {@code maxBytes} long (a single struct
     * larger than that gets a chunk of its own), whose application in order (or merge) gives exactly the
     * original's document state.
     *
     * <p>An update of at most {@code maxBytes} bytes, or one that cannot be cut (a single struct, or only a
     * delete set), is returned as the only element, the same array and not decoded. Otherwise every chunk
     * is a complete v1 update of at most {@code maxBytes} bytes, except a chunk holding one struct that is
     * larger on its own, or a last chunk holding only a delete set that is larger on its own. Chunks are
     * cut between structs, in the update's order, so each client's structs come in contiguous clock ranges
     * in increasing order, and no chunk holds two runs of one client; structs whose dependencies are in a
     * later chunk wait as pending in yjs until it arrives. The delete set is in the last chunk. Skips are
     * kept only between two structs of a run within one chunk (never at the start or end of a run, so no
     * chunk starts with one). With {@code maxBytes} smaller than any struct, every struct gets a chunk.
     * An update that holds text formatting ({@code ContentFormat} items: bold, links, Tiptap marks) is not
     * split either: after each remote transaction yjs deletes the format items it finds redundant, and on a
     * partly received text it deletes items the complete text needs, so no cut is known to be safe for a
     * document that already holds something (see {@link #splitState} for an empty one).
     *
     * @param maxBytes the largest chunk wanted, at least 1
     * @return the chunks, in the order they must be applied (unmodifiable)
     * @throws IllegalArgumentException if {@code maxBytes} is not positive
     */
    public static List<byte[]> splitUpdate(byte[] update, int maxBytes) {
        return split(update, maxBytes, false);
    }

    /**
     * {@link #splitUpdate} for an update that will be applied to an empty document (a client joining with an
     * empty state vector), which may also cut text formatting: an update holding format items is split only when
     * applying the chunks in order to an empty document gives the same document (structs and deletions, nothing
     * pending) as applying the whole, which is checked by doing both in this engine, whose cleanup of format items
     * after a remote transaction is yjs's. That check applies the update twice: for a large document it costs
     * about as much CPU as loading it twice, so callers run it off latency-sensitive threads and keep its result.
     * When the cut would change the document, or the whole leaves something pending, the update is returned
     * whole.
     *
     * @param maxBytes the largest chunk wanted, at least 1
     * @return the chunks, in the order they must be applied (unmodifiable)
     * @throws IllegalArgumentException if {@code maxBytes} is not positive
     */
    public static List<byte[]> splitState(byte[] update, int maxBytes) {
        return split(update, maxBytes, true);
    }

    private static List<byte[]> split(byte[] update, int maxBytes, boolean forEmptyDocument) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
        }
        if (update.length <= maxBytes) {
            return List.of(update);
        }
        DecodedUpdate decoded = decode(update, UpdateFormat.V1);
        boolean formatted = decoded.structs().stream()
                .anyMatch(st -> st instanceof dev.quire.yjs.codec.Item i && i.content instanceof ContentFormat);
        if (formatted && !forEmptyDocument) {
            return List.of(update);
        }
        List<byte[]> chunks;
        try {
            chunks = UpdateSplitter.split(decoded, maxBytes);
        } catch (RuntimeException e) {
            throw asMalformed(e);
        }
        if (chunks.size() == 1 || (formatted && !rebuildsTheSameDocument(update, chunks))) {
            return List.of(update);
        }
        return Collections.unmodifiableList(chunks);
    }

    /**
     * Whether {@code chunks}, applied in order to an empty document, give what {@code whole} gives. yjs cleans up
     * format items only in a typed Y.Text, and a client's editor binds its root types before it syncs, so both
     * documents type their root texts first (nested texts, as Tiptap's, are always typed).
     */
    private static boolean rebuildsTheSameDocument(byte[] whole, List<byte[]> chunks) {
        YDoc probe = new YDoc(0, true);
        probe.applyUpdate(whole);
        List<String> texts = probe.inferRootKinds().entrySet().stream()
                .filter(e -> e.getValue().equals("text")).map(Map.Entry::getKey).toList();
        YDoc expected = probe;
        if (!texts.isEmpty()) {
            expected = withTexts(texts);
            expected.applyUpdate(whole);
        }
        if (expected.hasPendingStructs() || expected.hasPendingDeletes()) {
            return false;
        }
        YDoc actual = withTexts(texts);
        chunks.forEach(actual::applyUpdate);
        return expected.sameStateAs(actual);
    }

    private static YDoc withTexts(List<String> rootTexts) {
        YDoc doc = new YDoc(0, true);
        rootTexts.forEach(doc::getText);
        return doc;
    }

    /** {@code Y.encodeStateVectorFromUpdate}: the state vector an update covers from clock 0 without gaps. */
    public static byte[] encodeStateVectorFromUpdate(byte[] update) {
        return UpdateOps.stateVector(decode(update, UpdateFormat.V1));
    }

    /** {@code Y.encodeStateVectorFromUpdateV2} (the result is the same plain state vector encoding). */
    public static byte[] encodeStateVectorFromUpdateV2(byte[] update) {
        return UpdateOps.stateVector(decode(update, UpdateFormat.V2));
    }

    /** {@code Y.diffUpdate}: what {@code update} holds beyond the encoded state vector {@code sv}. */
    public static byte[] diffUpdate(byte[] update, byte[] sv) {
        return diff(update, sv, UpdateFormat.V1);
    }

    /** {@code Y.diffUpdateV2}. */
    public static byte[] diffUpdateV2(byte[] update, byte[] sv) {
        return diff(update, sv, UpdateFormat.V2);
    }

    private static byte[] diff(byte[] update, byte[] sv, UpdateFormat format) {
        Map<Long, Long> state = decodeStateVector(sv);
        DecodedUpdate decoded = decode(update, format);
        try {
            return UpdateOps.diff(decoded, state, format);
        } catch (RuntimeException e) {
            throw asMalformed(e);
        }
    }

    /** {@code Y.convertUpdateFormatV1ToV2}. */
    public static byte[] convertUpdateFormatV1ToV2(byte[] update) {
        return convert(update, UpdateFormat.V1, UpdateFormat.V2);
    }

    /** {@code Y.convertUpdateFormatV2ToV1}. */
    public static byte[] convertUpdateFormatV2ToV1(byte[] update) {
        return convert(update, UpdateFormat.V2, UpdateFormat.V1);
    }

    private static byte[] convert(byte[] update, UpdateFormat in, UpdateFormat out) {
        DecodedUpdate decoded = decode(update, in);
        try {
            return UpdateOps.convert(decoded, out);
        } catch (RuntimeException e) {
            throw asMalformed(e);
        }
    }

    /** Decodes a state vector (client to next expected clock), in the order written. */
    public static Map<Long, Long> decodeStateVector(byte[] sv) {
        try {
            Lib0Reader in = new Lib0Reader(sv);
            long n = in.readVarUint();
            if (n > in.remaining()) {
                throw in.error(Reason.LENGTH_EXCEEDS_INPUT, "state vector of " + n + " entries, but only " + in.remaining() + " bytes remain");
            }
            Map<Long, Long> out = new LinkedHashMap<>();
            for (long i = 0; i < n; i++) {
                long client = in.readVarUint();
                long clock = in.readVarUint();
                out.put(client, clock);
            }
            return out;
        } catch (RuntimeException e) {
            throw asMalformed(e);
        }
    }

    /** Encodes a state vector, clients in descending order as yjs writes them. */
    public static byte[] encodeStateVector(Map<Long, Long> sv) {
        List<Long> clients = new ArrayList<>(sv.keySet());
        clients.sort(Collections.reverseOrder());
        Lib0Writer out = new Lib0Writer();
        out.writeVarUint(clients.size());
        for (long c : clients) {
            out.writeVarUint(c);
            out.writeVarUint(sv.get(c));
        }
        return out.toByteArray();
    }

    /**
     * Maps anything a decoder or encoder throws to the one documented type. Encoders throw only for
     * inputs that decode but cannot be re-encoded in the other format (e.g. a v2 embed that is
     * {@code undefined}, which JSON cannot hold).
     */
    private static MalformedUpdateException asMalformed(RuntimeException e) {
        if (e instanceof MalformedUpdateException m) {
            return m;
        }
        return new MalformedUpdateException(Reason.INVALID_VALUE, -1, "update cannot be processed: " + e, e);
    }
}
