package dev.quire.server.redis;

import dev.quire.server.hub.AwarenessBus;
import dev.quire.server.protocol.AwarenessUpdate;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisCredentialsProvider;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Awareness between fronts over Redis (Lettuce). Per document: a pub/sub channel {@code {prefix}awareness:{doc}}
 * whose messages carry the origin front (a front ignores its own) and the y-protocols awareness update, a channel
 * {@code {prefix}doc-updates:{doc}} of relayed document updates, and a hash {@code {prefix}awareness-state:{doc}} of
 * each client's latest entry (clock, state, front, time) expiring {@link #STATE_TTL} after the last publish, read by
 * a front that subscribes later. The prefix ({@link RedisSettings#prefix()}) is the deployment's, so that two
 * deployments on one Redis neither show each other's cursors nor apply each other's updates to same-named documents.
 *
 * <p>Publishing is coalesced per document over a window (newest entry per client), asynchronous, and never
 * throws: a failure is counted and the bus turns {@code degraded} (awareness stays local, one log line per
 * state change). Lettuce reconnects; a health check notices recovery, re-publishes this front's local states
 * and re-reads the other fronts' states.
 */
public final class RedisAwarenessBus implements AwarenessBus {
    private static final Logger LOG = LoggerFactory.getLogger(RedisAwarenessBus.class);
    /** Larger updates are left to the Kafka path alone. */
    static final int MAX_RELAYED_BYTES = 1 << 20;
    /** Longer than y-protocols' 30 s awareness timeout; clients renew every 15 s. */
    static final Duration STATE_TTL = Duration.ofSeconds(35);
    /** Hash entries older than this are another front's leftovers (that front died): not delivered. */
    static final Duration STALE_AFTER = Duration.ofSeconds(30);

    private final String frontId;
    private final String where;
    private final String channelPrefix;
    private final String statePrefix;
    /** Document updates relayed beside Kafka, per document. */
    private final String updateChannelPrefix;
    private final RedisClient client;
    private final StatefulRedisConnection<byte[], byte[]> commands;
    private final StatefulRedisPubSubConnection<byte[], byte[]> pubsub;
    private final Duration coalesce;
    private final ScheduledExecutorService timer;
    private final Set<String> subscribed = ConcurrentHashMap.newKeySet();
    /** Per document: pending entries by client, flushed after the coalescing window. */
    private final Map<String, Map<Long, AwarenessUpdate.Entry>> pending = new ConcurrentHashMap<>();
    /** Per document: this front's clients' latest published entries, re-published on recovery. */
    private final Map<String, Map<Long, AwarenessUpdate.Entry>> local = new ConcurrentHashMap<>();
    private final AtomicBoolean degraded = new AtomicBoolean(false);
    private final AtomicLong publishFailures = new AtomicLong();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong authFailures = new AtomicLong();
    private volatile BiConsumer<String, byte[]> listener = (d, b) -> { };
    private volatile BiConsumer<String, byte[]> relayListener = (d, b) -> { };
    private final AtomicLong relayed = new AtomicLong();
    private volatile boolean closed;

    private RedisAwarenessBus(String frontId, String where, String prefix, RedisClient client, StatefulRedisConnection<byte[], byte[]> commands,
                              StatefulRedisPubSubConnection<byte[], byte[]> pubsub, Duration coalesce, Duration checkEvery) {
        this.frontId = frontId;
        this.where = where;
        this.channelPrefix = prefix + "awareness:";
        this.statePrefix = prefix + "awareness-state:";
        this.updateChannelPrefix = prefix + "doc-updates:";
        this.client = client;
        this.commands = commands;
        this.pubsub = pubsub;
        this.coalesce = coalesce;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "quire-redis-awareness");
            t.setDaemon(true);
            return t;
        });
        pubsub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(byte[] channel, byte[] message) {
                onMessage(channel, message);
            }
        });
        client.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                if (!closed) {
                    markDegraded("connection lost");
                }
            }
        });
        long every = Math.max(50, checkEvery.toMillis());
        timer.scheduleWithFixedDelay(this::check, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Connects to Redis and checks it with an authenticated PING under {@link RedisSettings#timeout()}.
     *
     * @throws RedisConfigException naming the setting to fix, for each misconfiguration
     */
    public static RedisAwarenessBus connect(RedisSettings settings, String frontId) {
        return connect(settings, frontId, Duration.ofSeconds(1));
    }

    static RedisAwarenessBus connect(RedisSettings settings, String frontId, Duration checkEvery) {
        RedisURI uri;
        try {
            uri = RedisURI.create(settings.url());
        } catch (RuntimeException e) {
            throw new RedisConfigException(RedisConfigException.Kind.OTHER,
                    RedisSettings.URL.env() + " is not a valid Redis URI (redis://[user:password@]host:port or rediss://...): " + e.getMessage(), e);
        }
        Duration timeout = settings.timeout();
        uri.setTimeout(timeout);
        RedisCredentials fromUrl = uri.getCredentialsProvider() == null ? null : uri.getCredentialsProvider().resolveCredentials().block();
        String user = fromUrl == null ? null : fromUrl.getUsername();
        boolean hasUrlPassword = fromUrl != null && fromUrl.hasPassword() && fromUrl.getPassword().length > 0;
        if (settings.passwordFile() != null) {
            java.nio.file.Path file = settings.passwordFile();
            uri.setCredentialsProvider(RedisCredentialsProvider.from(() -> {
                try {
                    return RedisCredentials.just(user, Files.readString(file).strip());
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + RedisSettings.PASSWORD_FILE.env() + " " + file, e);
                }
            }));
        }
        boolean hasPassword = hasUrlPassword || settings.passwordFile() != null;
        if (uri.isSsl()) {
            uri.setVerifyPeer(settings.verifyPeer() ? SslVerifyMode.FULL : SslVerifyMode.NONE);
        }
        String where = (uri.isSsl() ? "rediss://" : "redis://") + uri.getHost() + ":" + uri.getPort();
        SslOptions.Builder ssl = SslOptions.builder().jdkSslProvider().handshakeTimeout(timeout);
        if (settings.caFile() != null) {
            ssl.trustManager(settings.caFile().toFile()); // read again for every new connection
        }
        // reconnect attempts back off from 100 ms to at most 2 s (Lettuce's default grows to 30 s)
        ClientResources resources = DefaultClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(100), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
                .build();
        RedisClient client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(timeout).build())
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .sslOptions(ssl.build())
                .build());
        StatefulRedisConnection<byte[], byte[]> commands = null;
        try {
            commands = client.connect(ByteArrayCodec.INSTANCE);
            String pong = commands.async().ping().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!"PONG".equals(pong)) {
                throw new IllegalStateException("PING answered " + pong);
            }
            StatefulRedisPubSubConnection<byte[], byte[]> pubsub = client.connectPubSub(ByteArrayCodec.INSTANCE);
            LOG.info("awareness between fronts through Redis at {} (front {}, names {}*, coalescing {} ms)", where, frontId,
                    settings.prefix(), settings.coalesce().toMillis());
            RedisAwarenessBus bus = new RedisAwarenessBus(frontId, where, settings.prefix(), client, commands, pubsub,
                    settings.coalesce(), checkEvery);
            boolean tls = uri.isSsl();
            // a failed reconnect says why, as the start-up check would (a rotated token, a new CA, ...)
            client.getResources().eventBus().get().subscribe(event -> {
                if (event instanceof io.lettuce.core.event.connection.ReconnectFailedEvent failed) {
                    bus.reconnectFailed(classify(failed.getCause(), where, tls, hasPassword, settings));
                }
            });
            return bus;
        } catch (Exception e) {
            if (commands != null) {
                commands.closeAsync();
            }
            client.shutdownAsync(0, 1, TimeUnit.SECONDS).whenComplete((r, x) -> resources.shutdown(0, 1, TimeUnit.SECONDS));
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw classify(e, where, uri.isSsl(), hasPassword, settings);
        }
    }

    /** Maps what Lettuce threw at start (measured cases in design/infra.md section 3) to a message naming the setting. */
    static RedisConfigException classify(Throwable e, String where, boolean tls, boolean hasPassword, RedisSettings settings) {
        StringBuilder chain = new StringBuilder();
        boolean reset = false;
        boolean handshakeTimeout = false;
        boolean untrusted = false;
        boolean notSsl = false;
        for (Throwable t = e; t != null && chain.length() < 4000; t = t.getCause() == t ? null : t.getCause()) {
            String m = String.valueOf(t.getMessage());
            chain.append(" | ").append(t.getClass().getSimpleName()).append(": ").append(m);
            String cls = t.getClass().getName();
            reset |= t instanceof java.net.SocketException && m.toLowerCase(java.util.Locale.ROOT).contains("reset");
            reset |= cls.contains("NativeIoException") && m.toLowerCase(java.util.Locale.ROOT).contains("reset");
            handshakeTimeout |= cls.endsWith("SslHandshakeTimeoutException");
            // on a cold JVM the connection's own timeout can fire before the handshake's: connected, no TLS answer
            handshakeTimeout |= cls.endsWith("RedisCommandTimeoutException") && m.contains("Connection initialization timed out");
            notSsl |= cls.endsWith("NotSslRecordException");
            untrusted |= t instanceof javax.net.ssl.SSLHandshakeException || t instanceof java.security.cert.CertificateException;
        }
        String all = chain.toString();
        String url = RedisSettings.URL.env();
        RedisConfigException.Kind kind;
        String message;
        if (all.contains("WRONGPASS") || all.contains("invalid password")) {
            kind = RedisConfigException.Kind.PASSWORD_REJECTED;
            message = "Redis at " + where + " rejected the password (WRONGPASS): fix the token in " + url
                    + (settings.passwordFile() != null ? " / the file of " + RedisSettings.PASSWORD_FILE.env() : "")
                    + " (a rotated token?)";
        } else if (all.contains("NOAUTH")) {
            kind = RedisConfigException.Kind.PASSWORD_MISSING;
            message = "Redis at " + where + " requires a password: set " + url + " to " + (tls ? "rediss" : "redis")
                    + "://:<token>@" + where.substring(where.indexOf("://") + 3) + " (or set " + RedisSettings.PASSWORD_FILE.env() + ")";
        } else if (tls && (handshakeTimeout || notSsl) && !all.contains("connection timed out")) {
            kind = RedisConfigException.Kind.NOT_TLS;
            message = "Redis at " + where + " did not answer the TLS handshake: the port looks like plain text; use redis:// in "
                    + url + " (or point it at the TLS port)";
        } else if (tls && untrusted) {
            kind = RedisConfigException.Kind.UNTRUSTED_CERTIFICATE;
            message = "the TLS certificate of Redis at " + where + " is not trusted: set " + RedisSettings.CA_FILE.env()
                    + " to the PEM file of the CA that signed it" + (settings.caFile() != null ? " (now " + settings.caFile() + ")" : "")
                    + ", or use the host name the certificate names in " + url;
        } else if (!tls && reset) {
            kind = RedisConfigException.Kind.TLS_REQUIRED;
            message = "Redis at " + where + " closed the connection on plain text: it probably requires TLS; use rediss:// in " + url
                    + " (and " + RedisSettings.CA_FILE.env() + " for a private CA)";
        } else if (all.contains("Connection refused") || all.contains("UnknownHost") || all.contains("connection timed out")
                || all.contains("RedisConnectionException") && !all.contains("RedisCommandExecutionException")) {
            kind = RedisConfigException.Kind.UNREACHABLE;
            message = "cannot connect to Redis at " + where + ": check the host and port in " + url + " and that Redis runs";
        } else {
            kind = RedisConfigException.Kind.OTHER;
            message = "Redis at " + where + " failed the start-up check: " + all.substring(3) + " (check " + url + ")";
        }
        if (!hasPassword && kind != RedisConfigException.Kind.PASSWORD_MISSING && kind != RedisConfigException.Kind.UNREACHABLE) {
            message += "; note: no password is configured";
        }
        return new RedisConfigException(kind, message + " [" + all.substring(3) + "]", e);
    }

    @Override
    public void start(BiConsumer<String, byte[]> remoteUpdates) {
        this.listener = remoteUpdates;
    }

    @Override
    public void publish(String document, byte[] awarenessUpdate) {
        try {
            AwarenessUpdate update = AwarenessUpdate.decode(awarenessUpdate);
            if (update.entries().isEmpty()) {
                return;
            }
            Map<Long, AwarenessUpdate.Entry> mine = local.computeIfAbsent(document, d -> new ConcurrentHashMap<>());
            for (AwarenessUpdate.Entry e : update.entries()) {
                if (e.removed()) {
                    mine.remove(e.clientId());
                } else {
                    mine.merge(e.clientId(), e, (a, b) -> b.clock() >= a.clock() ? b : a);
                }
            }
            if (coalesce.isZero()) {
                send(document, update.entries());
                return;
            }
            boolean[] first = {false};
            pending.compute(document, (d, m) -> {
                if (m == null) {
                    m = new LinkedHashMap<>();
                    first[0] = true;
                }
                for (AwarenessUpdate.Entry e : update.entries()) {
                    m.put(e.clientId(), e);
                }
                return m;
            });
            if (first[0]) {
                timer.schedule(() -> flush(document), coalesce.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (RuntimeException e) {
            failed("publish", e);
        }
    }

    private void flush(String document) {
        try {
            Map<Long, AwarenessUpdate.Entry> m = pending.remove(document);
            if (m != null && !m.isEmpty()) {
                send(document, new ArrayList<>(m.values()));
            }
        } catch (RuntimeException e) {
            failed("publish", e);
        }
    }

    /** HSET/HDEL the entries, refresh the expiry, PUBLISH them; asynchronous, failures counted. */
    private void send(String document, List<AwarenessUpdate.Entry> entries) {
        if (closed) {
            return;
        }
        byte[] key = bytes(statePrefix + document);
        long now = System.currentTimeMillis();
        Map<byte[], byte[]> set = new LinkedHashMap<>();
        List<byte[]> del = new ArrayList<>();
        for (AwarenessUpdate.Entry e : entries) {
            if (e.removed()) {
                del.add(bytes(Long.toString(e.clientId())));
            } else {
                set.put(bytes(Long.toString(e.clientId())), encodeState(e, now));
            }
        }
        RedisAsyncCommands<byte[], byte[]> async = commands.async();
        List<RedisFuture<?>> futures = new ArrayList<>(4);
        if (!set.isEmpty()) {
            futures.add(async.hset(key, set));
            futures.add(async.pexpire(key, STATE_TTL.toMillis()));
        }
        if (!del.isEmpty()) {
            futures.add(async.hdel(key, del.toArray(new byte[0][])));
        }
        futures.add(async.publish(bytes(channelPrefix + document), encodeMessage(new AwarenessUpdate(List.copyOf(entries)).encode())));
        for (RedisFuture<?> f : futures) {
            f.whenComplete((r, err) -> {
                if (err != null) {
                    failed("publish", err);
                }
            });
        }
        published.incrementAndGet();
    }

    @Override
    public void onDocumentUpdates(BiConsumer<String, byte[]> relayed) {
        this.relayListener = relayed;
    }

    @Override
    public void publishUpdate(String document, byte[] update) {
        if (closed || update.length > MAX_RELAYED_BYTES || degraded.get()) {
            return; // the Kafka path carries it anyway
        }
        try {
            commands.async().publish(bytes(updateChannelPrefix + document), encodeMessage(update)).whenComplete((r, err) -> {
                if (err != null) {
                    failed("relay", err);
                }
            });
            relayed.incrementAndGet();
        } catch (RuntimeException e) {
            failed("relay", e);
        }
    }

    /** Document updates relayed to other fronts since start. */
    public long relayed() {
        return relayed.get();
    }

    @Override
    public void subscribe(String document) {
        if (closed || !subscribed.add(document)) {
            return;
        }
        try {
            pubsub.async().subscribe(bytes(channelPrefix + document), bytes(updateChannelPrefix + document)).whenComplete((r, err) -> {
                if (err != null) {
                    failed("subscribe", err);
                } else {
                    readStates(document);
                }
            });
        } catch (RuntimeException e) {
            failed("subscribe", e);
        }
    }

    /** Delivers the other fronts' current states of {@code document} from the hash. */
    private void readStates(String document) {
        try {
            byte[] key = bytes(statePrefix + document);
            commands.async().hgetall(key).whenComplete((all, err) -> {
                if (err != null) {
                    failed("read states", err);
                    return;
                }
                long oldest = System.currentTimeMillis() - STALE_AFTER.toMillis();
                List<AwarenessUpdate.Entry> entries = new ArrayList<>();
                List<byte[]> stale = new ArrayList<>();
                all.forEach((field, value) -> {
                    try {
                        long clientId = Long.parseLong(new String(field, StandardCharsets.UTF_8));
                        Stored s = decodeState(value);
                        if (s.at < oldest) {
                            stale.add(field);
                        } else if (!s.front.equals(frontId)) {
                            entries.add(new AwarenessUpdate.Entry(clientId, s.clock, s.state));
                        }
                    } catch (RuntimeException e) {
                        stale.add(field);
                    }
                });
                if (!stale.isEmpty()) {
                    commands.async().hdel(key, stale.toArray(new byte[0][]));
                }
                if (!entries.isEmpty() && subscribed.contains(document)) {
                    deliver(document, new AwarenessUpdate(entries).encode());
                }
            });
        } catch (RuntimeException e) {
            failed("read states", e);
        }
    }

    @Override
    public void unsubscribe(String document) {
        subscribed.remove(document);
        local.remove(document);
        try {
            pubsub.async().unsubscribe(bytes(channelPrefix + document), bytes(updateChannelPrefix + document));
        } catch (RuntimeException e) {
            failed("unsubscribe", e);
        }
    }

    private void onMessage(byte[] channel, byte[] message) {
        try {
            String name = new String(channel, StandardCharsets.UTF_8);
            boolean update = name.startsWith(updateChannelPrefix);
            if (!update && !name.startsWith(channelPrefix)) {
                return; // not one of this deployment's names: its rest would not be a document name
            }
            String document = name.substring(update ? updateChannelPrefix.length() : channelPrefix.length());
            DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(message));
            String origin = in.readUTF();
            if (origin.equals(frontId)) {
                return;
            }
            if (update) {
                relayListener.accept(document, in.readAllBytes());
                return;
            }
            received.incrementAndGet();
            deliver(document, in.readAllBytes());
        } catch (IOException | RuntimeException e) {
            LOG.warn("ignoring a malformed awareness message from Redis: {}", e.toString());
        }
    }

    private void deliver(String document, byte[] update) {
        try {
            listener.accept(document, update);
        } catch (RuntimeException e) {
            LOG.warn("delivering awareness of {} from another front failed: {}", document, e.toString());
        }
    }

    /** Periodic check: a PING; recovery after degradation re-publishes local states and re-reads remote ones. */
    private void check() {
        if (closed) {
            return;
        }
        try {
            commands.async().ping().get(Math.max(500, Math.min(2000, coalesce.toMillis() + 1000)), TimeUnit.MILLISECONDS);
            if (pubsub.isOpen() && degraded.compareAndSet(true, false)) {
                reconnectFailure.set(null);
                LOG.warn("Redis at {} is back: awareness between fronts restored; re-publishing this front's states", where);
                resync();
                timer.schedule(this::resync, 1, TimeUnit.SECONDS); // in case another front's subscription came back later
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception | StackOverflowError e) { // a periodic task that throws is never run again: no Redis state then
            markDegraded("health check: " + e);
        }
    }

    private void resync() {
        if (closed || degraded.get()) {
            return;
        }
        local.forEach((document, entries) -> {
            if (!entries.isEmpty()) {
                send(document, new ArrayList<>(entries.values()));
            }
        });
        for (String document : subscribed) {
            readStates(document);
        }
    }

    private void failed(String what, Throwable e) {
        publishFailures.incrementAndGet();
        if (!closed) {
            markDegraded(what + " failed: " + e);
        }
    }

    /** The last reconnect failure explained (kind + message), logged once per kind until Redis is back. */
    private final java.util.concurrent.atomic.AtomicReference<RedisConfigException.Kind> reconnectFailure =
            new java.util.concurrent.atomic.AtomicReference<>();

    private void reconnectFailed(RedisConfigException why) {
        if (closed) {
            return;
        }
        if (why.kind() == RedisConfigException.Kind.PASSWORD_REJECTED || why.kind() == RedisConfigException.Kind.PASSWORD_MISSING) {
            authFailures.incrementAndGet();
        }
        if (reconnectFailure.getAndSet(why.kind()) != why.kind()) {
            LOG.error("reconnecting to Redis failed: {}", why.getMessage());
        }
    }

    /** Reconnects refused because of the password (a rotated token not yet in the file or URL) since start. */
    public long authFailures() {
        return authFailures.get();
    }

    private void markDegraded(String why) {
        if (degraded.compareAndSet(false, true)) {
            LOG.error("Redis at {} unavailable ({}): awareness is local to this front until it returns (documents keep syncing)", where, why);
        }
    }

    /** {@code up} or {@code degraded} (for /health/ready). */
    public String state() {
        return degraded.get() ? "degraded" : "up";
    }

    /** Failed Redis operations since start. */
    public long failures() {
        return publishFailures.get();
    }

    /** Batches sent to Redis since start. */
    public long published() {
        return published.get();
    }

    /** Updates received from other fronts since start. */
    public long received() {
        return received.get();
    }

    public String frontId() {
        return frontId;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        timer.shutdownNow();
        try {
            pubsub.close();
            commands.close();
        } catch (RuntimeException e) {
            LOG.debug("closing Redis connections: {}", e.toString());
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        client.getResources().shutdown(0, 2, TimeUnit.SECONDS);
    }

    private byte[] encodeMessage(byte[] update) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(update.length + frontId.length() + 2);
            DataOutputStream d = new DataOutputStream(out);
            d.writeUTF(frontId);
            d.write(update);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] encodeState(AwarenessUpdate.Entry e, long now) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            DataOutputStream d = new DataOutputStream(out);
            d.writeUTF(frontId);
            d.writeLong(e.clock());
            d.writeLong(now);
            d.write(e.state().getBytes(StandardCharsets.UTF_8));
            return out.toByteArray();
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }

    private record Stored(String front, long clock, long at, String state) {
    }

    private static Stored decodeState(byte[] value) {
        try {
            DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(value));
            String front = in.readUTF();
            long clock = in.readLong();
            long at = in.readLong();
            return new Stored(front, clock, at, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
