package dev.quire.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quire.server.auth.JwtAuthenticatorTestTokens;
import dev.quire.server.protocol.Address;
import dev.quire.server.protocol.HocuspocusCodec;
import dev.quire.yjs.lib0.Lib0Writer;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Hocuspocus protocol at the byte level against a front with JWT auth, on real Kafka and PostgreSQL. */
@Timeout(120)
class HocuspocusProtocolIT {
    private static final String SECRET = "protocol-it-secret-0123456789abcdef";
    private static FrontServer front;
    private static String url;
    private static ItEnv it;

    @BeforeAll
    static void start() {
        it = new ItEnv().with("QUIRE_KAFKA_PARTITIONS", "2").with("QUIRE_AUTH", "jwt").with("QUIRE_JWT_SECRET", SECRET);
        front = it.start();
        url = "ws://127.0.0.1:" + front.port() + "/hocuspocus";
    }

    @AfterAll
    static void stop() throws Exception {
        front.close();
        it.close();
    }

    @Test
    void permissionDeniedKeepsTheSocketOpenAndAValidTokenThenWorks() throws Exception {
        try (RawClient c = new RawClient(url)) {
            c.send(RawClient.auth("secret-doc", "not-a-token", "4.7.0"));
            assertThat(c.next()).isEqualTo(HocuspocusCodec.permissionDenied(Address.of("secret-doc"), "permission-denied"));
            String token = JwtAuthenticatorTestTokens.token(SECRET, "{\"docs\":[\"secret-*\"]}");
            c.send(RawClient.auth("secret-doc", token, "4.7.0"));
            assertThat(c.next()).isEqualTo(HocuspocusCodec.authenticated(Address.of("secret-doc"), false));
            assertThat(c.closeCode).isNotDone();
        }
    }

    @Test
    void readOnlyConnectionsGetSyncStatusZeroAndTheUpdateIsNotApplied() throws Exception {
        String token = JwtAuthenticatorTestTokens.token(SECRET, "{\"readOnly\":true}");
        Address a = Address.of("ro-doc");
        try (RawClient c = new RawClient(url)) {
            c.send(RawClient.auth("ro-doc", token, "4.7.0"));
            assertThat(c.next()).isEqualTo(HocuspocusCodec.authenticated(a, true));
            c.send(HocuspocusCodec.update(a, HexFormat.of().parseHex("0101010004010174066162f09f988000")));
            assertThat(c.next()).isEqualTo(HocuspocusCodec.syncStatus(a, false));
            c.send(HocuspocusCodec.syncStep1(a, new byte[] {0}));
            assertThat(c.next()).isEqualTo(HocuspocusCodec.syncStep1(a, new byte[] {0}));
            assertThat(c.next()).isEqualTo(HocuspocusCodec.syncStep2(a, new byte[] {0, 0})); // still empty
        }
    }

    @Test
    void anInvalidUpdateClosesTheDocumentConnectionWithAReason() throws Exception {
        String token = JwtAuthenticatorTestTokens.token(SECRET, "{}");
        Address a = Address.of("bad-doc");
        try (RawClient c = new RawClient(url)) {
            c.send(RawClient.auth("bad-doc", token, "4.7.0"));
            assertThat(c.next()).isEqualTo(HocuspocusCodec.authenticated(a, false));
            c.send(HocuspocusCodec.update(a, new byte[] {1, 1, 1, 1}));
            byte[] close = c.next();
            // [address][7 CLOSE][reason]: the document connection is closed with a reason
            assertThat(java.util.Arrays.copyOf(close, 9)).isEqualTo(java.util.Arrays.copyOf(HocuspocusCodec.close(a, ""), 9));
            assertThat(new String(close, 10, close.length - 10, java.nio.charset.StandardCharsets.UTF_8)).contains("invalid Yjs update");
            assertThat(c.closeCode).isNotDone();    // the socket stays open
        }
    }

    @Test
    void twoDocumentsMultiplexedOnOneSocketStayApart() throws Exception {
        String token = JwtAuthenticatorTestTokens.token(SECRET, "{}");
        Address one = Address.of("mux-one");
        Address two = Address.of("mux-two\0session-7"); // v4 session form: answered on the exact address
        byte[] insertAb = HexFormat.of().parseHex("0101010004010174066162f09f988000"); // client 1: "ab😀" into "t"
        try (RawClient c = new RawClient(url)) {
            c.send(RawClient.auth("mux-one", token, "4.7.0"));
            c.send(RawClient.auth("mux-two\0session-7", token, "4.7.0"));
            java.util.List<byte[]> got = new java.util.ArrayList<>(java.util.List.of(c.next(), c.next()));
            assertThat(got).anySatisfy(f -> assertThat(f).isEqualTo(HocuspocusCodec.authenticated(one, false)));
            assertThat(got).anySatisfy(f -> assertThat(f).isEqualTo(HocuspocusCodec.authenticated(two, false)));
            c.send(HocuspocusCodec.update(one, insertAb));
            // the sender gets its own update back (as Hocuspocus broadcasts) and the ack after Kafka, on mux-one only
            java.util.Set<String> answers = new java.util.HashSet<>();
            for (int i = 0; i < 2; i++) {
                answers.add(HexFormat.of().formatHex(c.next()));
            }
            assertThat(answers).containsExactlyInAnyOrder(HexFormat.of().formatHex(HocuspocusCodec.update(one, insertAb)),
                    HexFormat.of().formatHex(HocuspocusCodec.syncStatus(one, true)));
            // mux-two is still empty: its SyncStep2 against an empty state vector carries no struct
            c.send(HocuspocusCodec.syncStep1(two, new byte[] {0}));
            assertThat(c.next()).isEqualTo(HocuspocusCodec.syncStep1(two, new byte[] {0}));
            assertThat(c.next()).isEqualTo(HocuspocusCodec.syncStep2(two, new byte[] {0, 0}));
            // and mux-one holds the text
            c.send(HocuspocusCodec.syncStep1(one, new byte[] {0}));
            assertThat(c.next()).isEqualTo(HocuspocusCodec.syncStep1(one, HexFormat.of().parseHex("010104")));
            assertThat(c.next()).isEqualTo(HocuspocusCodec.syncStep2(one, insertAb));
        }
    }

    @Test
    void malformedFramesCloseTheSocketWithAResetAndPongIsAccepted() throws Exception {
        try (RawClient c = new RawClient(url)) {
            c.send(new byte[] {0x0A}); // v4 Pong
            Lib0Writer w = new Lib0Writer();
            w.writeVarString("d");
            w.writeVarUint(99);
            c.send(w.toByteArray());
            assertThat(c.closeCode.get(10, TimeUnit.SECONDS)).isEqualTo(4205);
        }
    }

    @Test
    void tooManyFramesBeforeAuthenticationResetTheSocket() throws Exception {
        try (RawClient c = new RawClient(url)) {
            Address a = Address.of("flood");
            byte[] step1 = HocuspocusCodec.syncStep1(a, new byte[] {0});
            try {
                for (int i = 0; i < 1001 && !c.closeCode.isDone(); i++) {
                    c.send(step1);
                }
            } catch (java.util.concurrent.ExecutionException closedWhileSending) {
                // the server closed the socket between two sends: the close code below tells why
            }
            assertThat(c.closeCode.get(10, TimeUnit.SECONDS)).isEqualTo(4205);
        }
    }
}
