package dev.quire.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quire.core.DocumentNames;
import dev.quire.core.postgres.DocumentHistory;
import dev.quire.core.postgres.DocumentReplay;
import dev.quire.core.postgres.HistoryEntry;
import dev.quire.server.auth.Access;
import dev.quire.server.auth.Authenticator;
import dev.quire.server.hub.DocumentLoader;
import dev.quire.server.kafka.KafkaUpdateLog;
import dev.quire.yjs.MalformedUpdateException;
import dev.quire.yjs.Updates;
import dev.quire.yjs.codec.UpdateFormat;
import dev.quire.yjs.lib0.JsObject;
import dev.quire.yjs.model.AbstractType;
import dev.quire.yjs.model.YDoc;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The documents API under {@code /api/documents/}. Document names may contain slashes; the operation is the
 * path's suffix:
 * <ul>
 * <li>{@code GET  /api/documents/{name}?format=json|text|yjs}: the current state (snapshot + history + Kafka tail)</li>
 * <li>{@code GET  /api/documents/{name}/history?after=OFFSET&limit=N}: versions stored in PostgreSQL</li>
 * <li>{@code GET  /api/documents/{name}/versions/at?offset=N | ?time=ISO-8601&format=…}: the state at a point</li>
 * <li>{@code POST /api/documents/{name}/updates}: body = a v1 Yjs update, produced to Kafka</li>
 * <li>{@code POST /api/documents/{name}/text/append?root=content}: body = text appended to a Y.Text root</li>
 * </ul>
 * Authorisation: {@code Authorization: Bearer <jwt>} checked by the front's {@link Authenticator} (401 without a
 * token, 403 when the token does not grant the document or, for writes, grants it read-only). Errors are
 * {@code {"error": "..."}}: 400 for a name {@link DocumentNames} refuses, before anything else; 413 for a body over
 * {@code QUIRE_API_MAX_BODY_BYTES}; 422 for a document over {@code QUIRE_API_MAX_DOCUMENT_BYTES}; 503 with
 * {@code Retry-After} when {@code QUIRE_API_MAX_CONCURRENT_READS} documents are being loaded already; 500 names a
 * request id the log line carries, never the exception.
 */
public final class DocumentsApi {
    private static final Logger LOG = LoggerFactory.getLogger(DocumentsApi.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String PREFIX = "/api/documents/";
    private static final int MAX_LIMIT = 1000;
    /** Bytes past the body limit read and dropped before answering 413 (see {@link #bodyTooLarge(Context, InputStream)}). */
    static final long DRAIN_BYTES = 16L * 1024 * 1024;
    /** How long a read waits for a place among the concurrent ones before it gets 503: a burst queues, a flood does not. */
    static final long READ_WAIT_MILLIS = 2000;

    /**
     * Bounds of what one front does for the API at once. Loading and rendering a document takes several times its
     * size in heap (the updates, the document, the rendered string and its bytes), so without them a few dozen
     * concurrent reads of a large document exhaust the heap.
     *
     * @param concurrentReads  documents loaded and rendered at once
     * @param maxDocumentBytes bytes of updates (snapshot, history rows, Kafka tail) a document may have to be loaded
     * @param maxBodyBytes     largest request body
     */
    public record Limits(int concurrentReads, int maxDocumentBytes, int maxBodyBytes) {
        public static Limits of(dev.quire.server.ServerSettings s) {
            return new Limits(s.apiMaxConcurrentReads(), s.apiMaxDocumentBytes(), s.apiMaxBodyBytes());
        }
    }

    private final Authenticator auth;
    private final boolean authDisabled;
    private final DocumentLoader loader;
    private final DocumentHistory history;
    private final DocumentReplay replay;
    private final KafkaUpdateLog log;
    private final Limits limits;
    private final Semaphore reads;

    /**
     * @param log the producer of API writes; its origin must differ from the hub's so that documents open on
     *            this front apply the update when it comes back from the log
     */
    public DocumentsApi(Authenticator auth, boolean authDisabled, DocumentLoader loader, DocumentHistory history,
                        KafkaUpdateLog log, Limits limits) {
        this.auth = auth;
        this.authDisabled = authDisabled;
        this.loader = loader;
        this.history = history;
        this.replay = new DocumentReplay(history);
        this.log = log;
        this.limits = limits;
        this.reads = new Semaphore(limits.concurrentReads(), true);
    }

    /** Thrown by the handlers: the HTTP status and message of the JSON error. */
    static final class ApiError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;

        ApiError(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    public void get(Context ctx) {
        handle(ctx, () -> {
            String path = rest(ctx);
            if (path.endsWith("/history")) {
                history(ctx, document(path, "/history"));
            } else if (path.endsWith("/versions/at")) {
                versionAt(ctx, document(path, "/versions/at"));
            } else {
                current(ctx, document(path, ""));
            }
        });
    }

    public void post(Context ctx) {
        handle(ctx, () -> {
            String path = rest(ctx);
            if (path.endsWith("/updates")) {
                postUpdate(ctx, document(path, "/updates"));
            } else if (path.endsWith("/text/append")) {
                appendText(ctx, document(path, "/text/append"));
            } else {
                throw new ApiError(404, "unknown operation: POST " + ctx.path()
                        + " (use /api/documents/{name}/updates or /api/documents/{name}/text/append)");
            }
        });
    }

    private interface Body {
        void run() throws Exception;
    }

    private void handle(Context ctx, Body body) {
        try {
            body.run();
        } catch (ApiError e) {
            error(ctx, e.status, e.getMessage());
        } catch (DocumentReplay.NotFoundException e) {
            error(ctx, 404, e.getMessage());
        } catch (MalformedUpdateException e) {
            error(ctx, 400, "invalid Yjs update: " + e.getMessage());
        } catch (KafkaUpdateLog.BufferFullException e) {
            error(ctx, 503, "Kafka is not keeping up: " + e.getMessage());
        } catch (KafkaUpdateLog.UpdateTooLargeException e) {
            error(ctx, 413, e.getMessage());
        } catch (HttpResponseException e) { // Javalin's own answers
            error(ctx, e.getStatus(), e.getMessage());
        } catch (Exception e) {
            error(ctx, 500, internal(ctx, "failed", e));
        }
    }

    /**
     * Logs {@code e} under a new request id and returns the message for the client, which names only the id: an
     * exception's text can carry internals (hosts, SQL, class names) a client has no business seeing.
     */
    private static String internal(Context ctx, String what, Throwable e) {
        String id = UUID.randomUUID().toString().substring(0, 13);
        LOG.warn("documents API: {} {} {} (request {})", ctx.method(), DocumentNames.forLog(ctx.path()), what, id, e);
        ctx.header("Quire-Request-Id", id);
        return "internal error (request " + id + ", in the front's log)";
    }

    private String bodyTooLarge() {
        return "the body is larger than " + limits.maxBodyBytes() + " bytes (QUIRE_API_MAX_BODY_BYTES)";
    }

    private static void error(Context ctx, int status, String message) {
        ctx.status(status).json(Map.of("error", message == null ? "" : message));
    }

    private static String rest(Context ctx) {
        String p = ctx.path();
        int i = p.indexOf(PREFIX);
        return i < 0 ? "" : p.substring(i + PREFIX.length());
    }

    private static String document(String path, String suffix) {
        String name = path.substring(0, path.length() - suffix.length());
        if (name.isEmpty()) {
            throw new ApiError(404, "no document name in the path");
        }
        try {
            name = java.net.URLDecoder.decode(name.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, "the document name in the path has a malformed %-escape");
        }
        // the front's rule, checked again by the persister: a name it refuses would otherwise be acknowledged here and
        // then stop or be dropped downstream
        String problem = DocumentNames.problem(name);
        if (problem != null) {
            throw new ApiError(400, problem);
        }
        return name;
    }

    private void authorize(Context ctx, String document, boolean write) {
        String header = ctx.header("Authorization");
        String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : "";
        Access a = auth.authorize(token, document);
        if (a == Access.DENIED) {
            if (token.isEmpty() && !authDisabled) {
                throw new ApiError(401, "missing 'Authorization: Bearer <token>'");
            }
            throw new ApiError(403, "the token does not grant access to '" + document + "' (or is invalid or expired)");
        }
        if (write && a != Access.READ_WRITE) {
            throw new ApiError(403, "the token grants '" + document + "' read-only");
        }
    }

    // ---- reads ---------------------------------------------------------------------------------------------

    /** Runs {@code body} holding one of the concurrent reads, or answers 503 when none frees up in time. */
    private void gated(Context ctx, Body body) throws Exception {
        if (!reads.tryAcquire(READ_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
            ctx.header("Retry-After", "1");
            throw new ApiError(503, "the front is loading " + limits.concurrentReads()
                    + " documents for the API already (QUIRE_API_MAX_CONCURRENT_READS); retry in a moment");
        }
        try {
            body.run();
        } finally {
            reads.release();
        }
    }

    /** Refuses a document whose updates are over the limit, before they are applied. */
    private void checkSize(String document, long bytes) {
        if (bytes > limits.maxDocumentBytes()) {
            throw new ApiError(422, "document '" + document + "' is made of " + bytes + " bytes of updates, more than the "
                    + limits.maxDocumentBytes() + " the API loads (QUIRE_API_MAX_DOCUMENT_BYTES)");
        }
    }

    private static long bytes(List<byte[]> updates) {
        long n = 0;
        for (byte[] u : updates) {
            n += u.length;
        }
        return n;
    }

    /** The current state; null when the document has no updates. */
    private YDoc load(String document) {
        List<byte[]> updates = loader.load(document);
        if (updates.isEmpty()) {
            return null;
        }
        checkSize(document, bytes(updates));
        YDoc doc = new YDoc();
        for (byte[] u : updates) {
            doc.applyUpdate(u);
        }
        return doc;
    }

    private void current(Context ctx, String document) throws Exception {
        authorize(ctx, document, false);
        String format = format(ctx);
        gated(ctx, () -> {
            YDoc doc = load(document);
            if (doc == null) {
                throw new ApiError(404, "unknown document '" + document + "': it has no updates");
            }
            respond(ctx, document, doc, format, null);
        });
    }

    private void versionAt(Context ctx, String document) throws Exception {
        authorize(ctx, document, false);
        String format = format(ctx);
        String offset = ctx.queryParam("offset");
        String time = ctx.queryParam("time");
        if ((offset == null) == (time == null)) {
            throw new ApiError(400, "give exactly one of ?offset=N and ?time=ISO-8601");
        }
        long o = -1;
        Instant t = null;
        if (offset != null) {
            try {
                o = Long.parseLong(offset);
            } catch (NumberFormatException e) {
                throw new ApiError(400, "offset '" + offset + "' is not a number");
            }
            if (o < 0) {
                throw new ApiError(400, "offset must be 0 or more");
            }
        } else {
            try {
                t = Instant.parse(time);
            } catch (DateTimeParseException e) {
                throw new ApiError(400, "time '" + time + "' is not an ISO-8601 instant such as 2026-11-26T10:00:00Z");
            }
        }
        long atOffset = o;
        Instant atTime = t;
        gated(ctx, () -> respondVersion(ctx, document, format, atTime == null
                ? replay.atOffset(document, atOffset, bytes -> checkSize(document, bytes))
                : replay.atTime(document, atTime, bytes -> checkSize(document, bytes))));
    }

    private static void respondVersion(Context ctx, String document, String format, DocumentReplay.Version v) {
        Map<String, Object> version = new LinkedHashMap<>();
        version.put("offset", v.offset());
        version.put("timestamp", v.timestamp().toString());
        ctx.header("Quire-Version-Offset", Long.toString(v.offset()));
        ctx.header("Quire-Version-Timestamp", v.timestamp().toString());
        respond(ctx, document, v.doc(), format, version);
    }

    private void history(Context ctx, String document) {
        authorize(ctx, document, false);
        long after = longParam(ctx, "after", -1);
        long limit = longParam(ctx, "limit", 100);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new ApiError(400, "limit must be between 1 and " + MAX_LIMIT);
        }
        List<HistoryEntry> page = history.page(document, after, (int) limit);
        if (page.isEmpty() && history.first(document).isEmpty()) {
            throw new ApiError(404, "unknown document '" + document + "': it has no stored history");
        }
        List<Map<String, Object>> versions = new ArrayList<>();
        for (HistoryEntry e : page) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("partition", e.partition());
            m.put("offset", e.offset());
            m.put("time", e.timestamp().toString());
            m.put("origin", e.origin());
            m.put("size", e.size());
            versions.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("document", document);
        out.put("versions", versions);
        out.put("next", page.size() == limit ? page.get(page.size() - 1).offset() : null);
        ctx.json(out);
    }

    private static long longParam(Context ctx, String name, long def) {
        String v = ctx.queryParam(name);
        if (v == null || v.isEmpty()) {
            return def;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new ApiError(400, name + " '" + v + "' is not a number");
        }
    }

    private static String format(Context ctx) {
        String f = ctx.queryParam("format");
        if (f == null || f.isEmpty()) {
            return "json";
        }
        if (!f.equals("json") && !f.equals("text") && !f.equals("yjs")) {
            throw new ApiError(400, "format '" + f + "' is not one of json, text, yjs");
        }
        return f;
    }

    private static void respond(Context ctx, String document, YDoc doc, String format, Map<String, Object> version) {
        switch (format) {
            case "yjs" -> ctx.contentType("application/octet-stream").result(doc.encodeStateAsUpdate(null));
            case "text" -> ctx.contentType("text/plain; charset=utf-8").result(text(doc));
            default -> {
                ObjectNode out = JSON.createObjectNode();
                out.put("document", document);
                if (version != null) {
                    out.put("offset", (Long) version.get("offset"));
                    out.put("timestamp", (String) version.get("timestamp"));
                }
                ObjectNode roots = out.putObject("roots");
                doc.inferRootKinds().forEach((name, kind) -> {
                    switch (kind) {
                        case "text" -> roots.put(name, doc.getText(name).toString());
                        case "xmlFragment" -> roots.put(name, doc.getXmlFragment(name).toString());
                        case "map" -> roots.set(name, json(doc.getMap(name).toJSON()));
                        default -> roots.set(name, json(doc.getArray(name).toJSON()));
                    }
                });
                ctx.contentType("application/json").result(out.toString());
            }
        }
    }

    /** Each text or XML root's string, under a {@code ==> name (kind) <==} line when there are several. */
    static String text(YDoc doc) {
        Map<String, String> kinds = doc.inferRootKinds();
        List<String> shown = kinds.keySet().stream()
                .filter(n -> kinds.get(n).equals("text") || kinds.get(n).equals("xmlFragment")).toList();
        StringBuilder out = new StringBuilder();
        for (String name : shown) {
            if (shown.size() > 1) {
                out.append(out.length() == 0 ? "" : "\n").append("==> ").append(name).append(" (").append(kinds.get(name))
                        .append(") <==\n");
            }
            out.append(kinds.get(name).equals("text") ? doc.getText(name).toString() : doc.getXmlFragment(name).toString());
        }
        return out.toString();
    }

    private static JsonNode json(Object value) {
        try {
            return JSON.valueToTree(plain(value));
        } catch (IllegalArgumentException e) {
            return JSON.getNodeFactory().textNode(String.valueOf(value));
        }
    }

    private static Object plain(Object v) {
        if (v instanceof AbstractType t) {
            return plain(t.toJSON());
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> o = new LinkedHashMap<>();
            Iterable<?> keys = m instanceof JsObject jo ? jo.keys() : m.keySet();
            for (Object k : keys) {
                o.put(String.valueOf(k), plain(m.get(k)));
            }
            return o;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object e : l) {
                out.add(plain(e));
            }
            return out;
        }
        if (v instanceof Double d) {
            return jsonNumber(d);
        }
        if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean || v instanceof byte[]) {
            return v;
        }
        return String.valueOf(v);
    }

    /**
     * A Yjs number (a JavaScript double) as {@code JSON.stringify} writes it: integral values without a fraction
     * ({@code 1}, not {@code 1.0}), {@code -0} as {@code 0}, NaN and the infinities as {@code null}.
     */
    static Object jsonNumber(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return null;
        }
        if (d == Math.rint(d) && Math.abs(d) < 0x1p53) {
            return (long) d;
        }
        return d;
    }

    // ---- writes --------------------------------------------------------------------------------------------

    private void postUpdate(Context ctx, String document) throws Exception {
        authorize(ctx, document, true);
        byte[] update = body(ctx);
        if (update.length == 0) {
            throw new ApiError(400, "the body must hold a v1 Yjs update");
        }
        Updates.validate(update, UpdateFormat.V1);
        produce(ctx, document, update);
    }

    private void appendText(Context ctx, String document) throws Exception {
        authorize(ctx, document, true);
        String root = ctx.queryParam("root");
        if (root == null || root.isEmpty()) {
            root = "content";
        }
        String text = new String(body(ctx), charset(ctx));
        if (text.isEmpty()) {
            throw new ApiError(400, "the body must hold the text to append");
        }
        String r = root;
        byte[][] update = new byte[1][];
        gated(ctx, () -> { // appending needs the document loaded, as a read does
            YDoc loaded = load(document);
            YDoc doc = loaded == null ? new YDoc() : loaded;
            String kind = doc.inferRootKinds().get(r);
            if (kind != null && !kind.equals("text")) {
                throw new ApiError(409, "root '" + r + "' of '" + document + "' is a " + kind + ", not a text");
            }
            List<byte[]> produced = new ArrayList<>();
            doc.onUpdate((u, tr) -> produced.add(u));
            var ytext = doc.getText(r);
            ytext.insert(ytext.length(), text);
            if (produced.size() != 1) {
                throw new IllegalStateException(produced.size() + " updates from one insert");
            }
            update[0] = produced.get(0);
        });
        produce(ctx, document, update[0]); // outside the gate: waiting for Kafka holds no document
    }

    /** The request body, refused with 413 past the limit (at once when its declared length is over it). */
    private byte[] body(Context ctx) {
        try {
            long declared = ctx.req().getContentLengthLong();
            InputStream in = ctx.req().getInputStream();
            if (declared > limits.maxBodyBytes()) {
                throw bodyTooLarge(ctx, in);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 8192);
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                if (out.size() + n > limits.maxBodyBytes()) {
                    throw bodyTooLarge(ctx, in);
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) { // the client went away or stalled past the idle timeout: nothing of ours failed
            throw new ApiError(400, "the request body could not be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * The 413, after reading and dropping up to {@link #DRAIN_BYTES} more of the body: a connection closed with
     * unread data is reset, and the reset can destroy the answer before the client reads it (the client sees a broken
     * pipe instead). A body longer still ends the connection after the answer.
     */
    private ApiError bodyTooLarge(Context ctx, InputStream in) {
        byte[] buffer = new byte[8192];
        long dropped = 0;
        int n = 0;
        try {
            while (dropped < DRAIN_BYTES && (n = in.read(buffer)) >= 0) {
                dropped += n;
            }
        } catch (IOException e) {
            n = 0;
        }
        if (n >= 0) {
            ctx.header("Connection", "close");
        }
        return new ApiError(413, bodyTooLarge());
    }

    private static Charset charset(Context ctx) {
        String name = ctx.characterEncoding();
        if (name == null) {
            return StandardCharsets.UTF_8;
        }
        try {
            return Charset.forName(name);
        } catch (IllegalArgumentException e) {
            throw new ApiError(415, "charset '" + name + "' of the body is not supported");
        }
    }

    private void produce(Context ctx, String document, byte[] update) throws Exception {
        KafkaUpdateLog.Position p;
        try {
            p = log.append(document, update, "http-" + UUID.randomUUID()).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof KafkaUpdateLog.BufferFullException b) {
                throw b;
            }
            throw new ApiError(503, "Kafka did not accept the update: " + internal(ctx, "was not accepted by Kafka", e.getCause()));
        } catch (TimeoutException e) {
            throw new ApiError(503, "Kafka did not acknowledge the update within 30 s (it may still be written)");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("partition", p.partition());
        out.put("offset", p.offset());
        out.put("size", update.length);
        ctx.status(200).json(out);
    }
}
