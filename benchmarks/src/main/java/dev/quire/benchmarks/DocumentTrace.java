package dev.quire.benchmarks;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.quire.yjs.model.YDoc;
import dev.quire.yjs.model.YText;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * A sequential editing trace ({@code startContent}, {@code endContent}, {@code txns[].patches[]} of
 * {@code [pos, numDeleted, insertedString]}, see /work/shared/data/editing-traces/README.md), read with
 * Jackson's streaming parser into flat arrays so that the trace itself takes little heap (about 3 MB for
 * automerge-paper) and does not blur the heap measurements of the document built from it.
 *
 * <p>Positions count code points in the trace; they are used as UTF-16 offsets here, which is exact for
 * the traces without characters above U+FFFF (all four in the data folder). {@link #load} rejects a trace
 * that has one.
 */
public final class DocumentTrace {
    public final String endContent;
    /** Number of txns; txn {@code t} has patches {@code [txnStart[t], txnStart[t + 1])}. */
    public final int txnCount;
    final int[] txnStart;
    final int[] pos;
    final int[] del;
    /** Inserted text of each patch (equal strings share one instance). */
    final String[] ins;

    private DocumentTrace(String endContent, int txnCount, int[] txnStart, int[] pos, int[] del, String[] ins) {
        this.endContent = endContent;
        this.txnCount = txnCount;
        this.txnStart = txnStart;
        this.pos = pos;
        this.del = del;
        this.ins = ins;
    }

    public int patchCount() {
        return pos.length;
    }

    public static DocumentTrace load(Path file) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16);
             JsonParser p = new JsonFactory().createParser(in)) {
            String endContent = null;
            String startContent = "";
            IntList txnStart = new IntList();
            IntList pos = new IntList();
            IntList del = new IntList();
            java.util.ArrayList<String> ins = new java.util.ArrayList<>();
            // identical inserted strings share one instance (almost all are one character)
            java.util.HashMap<String, String> interned = new java.util.HashMap<>();
            expect(p.nextToken(), JsonToken.START_OBJECT, p);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "startContent" -> startContent = p.getText();
                    case "endContent" -> endContent = p.getText();
                    case "txns" -> {
                        expect(t, JsonToken.START_ARRAY, p);
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            txnStart.add(pos.size);
                            while (p.nextToken() == JsonToken.FIELD_NAME) {
                                String tf = p.currentName();
                                JsonToken v = p.nextToken();
                                if (tf.equals("patches")) {
                                    expect(v, JsonToken.START_ARRAY, p);
                                    while (p.nextToken() == JsonToken.START_ARRAY) {
                                        expect(p.nextToken(), JsonToken.VALUE_NUMBER_INT, p);
                                        pos.add(p.getIntValue());
                                        expect(p.nextToken(), JsonToken.VALUE_NUMBER_INT, p);
                                        del.add(p.getIntValue());
                                        JsonToken s = p.nextToken();
                                        String str = "";
                                        if (s == JsonToken.VALUE_STRING) {
                                            str = p.getText();
                                            p.nextToken();
                                        }
                                        expect(p.currentToken(), JsonToken.END_ARRAY, p);
                                        if (str.codePoints().count() != str.length()) {
                                            throw new IllegalArgumentException("trace inserts characters above U+FFFF: positions would need code point conversion");
                                        }
                                        ins.add(interned.computeIfAbsent(str, x -> x));
                                    }
                                } else {
                                    p.skipChildren();
                                }
                            }
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (!startContent.isEmpty()) {
                throw new IllegalArgumentException("trace has a non-empty startContent");
            }
            if (endContent == null) {
                throw new IllegalArgumentException("trace has no endContent");
            }
            int txns = txnStart.size;
            txnStart.add(pos.size);
            return new DocumentTrace(endContent, txns, txnStart.toArray(), pos.toArray(), del.toArray(), ins.toArray(new String[0]));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read trace " + file, e);
        }
    }

    /**
     * Writes the trace in a binary form that {@link #applyMapped} applies straight from a memory-mapped
     * file, i.e. from outside the Java heap (used by {@link DocumentHeap}'s smallest-heap bisection, so that
     * the heap holds only the document and the garbage its edits make, not the trace). Layout (big-endian):
     * {@code int txnCount}, per txn {@code int patchCount} and per patch {@code int pos, int del, int n,
     * n UTF-16 chars}; then {@code int n, n chars} of endContent.
     */
    public void writeBinary(Path file) {
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
            out.writeInt(txnCount);
            for (int t = 0; t < txnCount; t++) {
                out.writeInt(txnStart[t + 1] - txnStart[t]);
                for (int i = txnStart[t]; i < txnStart[t + 1]; i++) {
                    out.writeInt(pos[i]);
                    out.writeInt(del[i]);
                    out.writeInt(ins[i].length());
                    out.writeChars(ins[i]);
                }
            }
            out.writeInt(endContent.length());
            out.writeChars(endContent);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Applies a trace written by {@link #writeBinary} from {@code buf} (e.g. a mapped file) to
     * {@code doc.getText("text")}, as {@link #applyTo} does; returns whether the end text equals the
     * trace's endContent (compared char by char, without copying it onto the heap).
     */
    public static boolean applyMapped(java.nio.ByteBuffer buf, YDoc doc) {
        YText text = doc.getText("text");
        int txns = buf.getInt();
        for (int t = 0; t < txns; t++) {
            int patches = buf.getInt();
            doc.transact(tr -> {
                for (int i = 0; i < patches; i++) {
                    int p = buf.getInt();
                    int d = buf.getInt();
                    int n = buf.getInt();
                    if (d > 0) {
                        text.delete(p, d);
                    }
                    if (n > 0) {
                        String s;
                        if (n == 1) {
                            s = String.valueOf(buf.getChar());
                        } else {
                            char[] c = new char[n];
                            buf.asCharBuffer().get(c);
                            buf.position(buf.position() + 2 * n);
                            s = new String(c);
                        }
                        text.insert(p, s);
                    }
                }
            });
        }
        String end = text.toString();
        int n = buf.getInt();
        if (end.length() != n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (end.charAt(i) != buf.getChar()) {
                return false;
            }
        }
        return true;
    }

    private static void expect(JsonToken got, JsonToken want, JsonParser p) throws IOException {
        if (got != want) {
            throw new IOException("trace JSON: expected " + want + ", got " + got + " at " + p.currentLocation());
        }
    }

    /**
     * Applies the whole trace to {@code doc.getText("text")} as local edits, one transaction per txn
     * (within a txn: delete then insert, per patch), as bench-document.mjs does with yjs.
     */
    public YDoc applyTo(YDoc doc) {
        YText text = doc.getText("text");
        for (int t = 0; t < txnCount; t++) {
            int from = txnStart[t];
            int to = txnStart[t + 1];
            doc.transact(tr -> {
                for (int i = from; i < to; i++) {
                    if (del[i] > 0) {
                        text.delete(pos[i], del[i]);
                    }
                    if (!ins[i].isEmpty()) {
                        text.insert(pos[i], ins[i]);
                    }
                }
            });
        }
        return doc;
    }

    /** A fresh document as the benchmarks use it: client id 1, gc on. */
    public static YDoc newDoc() {
        return new YDoc(1, true);
    }

    private static final class IntList {
        int[] a = new int[1024];
        int size;

        void add(int v) {
            if (size == a.length) {
                a = Arrays.copyOf(a, a.length * 2);
            }
            a[size++] = v;
        }

        int[] toArray() {
            return Arrays.copyOf(a, size);
        }
    }
}
