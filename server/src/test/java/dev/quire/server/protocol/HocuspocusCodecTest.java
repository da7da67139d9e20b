package dev.quire.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quire.server.protocol.IncomingMessage.AuthToken;
import dev.quire.server.protocol.IncomingMessage.Pong;
import dev.quire.server.protocol.IncomingMessage.SyncStep1;
import dev.quire.server.protocol.IncomingMessage.Update;
import dev.quire.yjs.lib0.Lib0Writer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** Frames from shared/design/hocuspocus-protocol.md (section 1) and what providers send. */
class HocuspocusCodecTest {
    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    @Test
    void encodesAuthenticatedAsInTheReference() {
        // Example frame for doc "doc": 03 64 6F 63 | 02 | 02 | 0A "read-write"
        assertThat(hex(HocuspocusCodec.authenticated(Address.of("doc"), false)))
                .isEqualTo("03646f63" + "02" + "02" + "0a" + hex("read-write".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void decodesV4AuthWithProviderVersionAndV3WithoutIt() {
        Lib0Writer w = new Lib0Writer();
        w.writeVarString("d");
        w.writeVarUint(2);
        w.writeVarUint(0);
        w.writeVarString("tok");
        byte[] v3 = w.toByteArray();
        w.writeVarString("4.5.0");
        byte[] v4 = w.toByteArray();
        assertThat(HocuspocusCodec.decode(v3)).isEqualTo(new AuthToken(Address.of("d"), "tok", null));
        assertThat(HocuspocusCodec.decode(v4)).isEqualTo(new AuthToken(Address.of("d"), "tok", "4.5.0"));
    }

    @Test
    void keepsTheSessionAddressAndNamesTheDocumentBeforeTheNul() {
        Lib0Writer w = new Lib0Writer();
        w.writeVarString("notes\0session-1");
        w.writeVarUint(0);
        w.writeVarUint(0);
        w.writeVarUint8Array(new byte[] {0});
        SyncStep1 m = (SyncStep1) HocuspocusCodec.decode(w.toByteArray());
        assertThat(m.address().document()).isEqualTo("notes");
        assertThat(m.address().text()).isEqualTo("notes\0session-1");
        // answers echo the address byte for byte
        assertThat(HocuspocusCodec.syncStep1(m.address(), new byte[] {0})).isEqualTo(w.toByteArray());
    }

    @Test
    void acceptsTheBarePongByte() {
        assertThat(HocuspocusCodec.decode(new byte[] {0x0A})).isInstanceOf(Pong.class);
        assertThat(HocuspocusCodec.ping()).containsExactly(0x09);
    }

    @Test
    void rejectsUnknownTypesTruncatedFramesAndUnreadableAddresses() {
        Lib0Writer w = new Lib0Writer();
        w.writeVarString("d");
        w.writeVarUint(42);
        assertThatThrownBy(() -> HocuspocusCodec.decode(w.toByteArray()))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.closeCode()).isEqualTo(CloseCode.RESET_CONNECTION));
        byte[] truncatedUpdate = HexFormat.of().parseHex("0164" + "00" + "02" + "05" + "0101");
        assertThatThrownBy(() -> HocuspocusCodec.decode(truncatedUpdate))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.closeCode()).isEqualTo(CloseCode.RESET_CONNECTION));
        assertThatThrownBy(() -> HocuspocusCodec.decode(HexFormat.of().parseHex("05ff")))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.closeCode()).isEqualTo(CloseCode.UNAUTHORIZED));
    }

    @Test
    void updateRoundTrips() {
        byte[] update = HexFormat.of().parseHex("0101010004010174066162f09f988000");
        Update m = (Update) HocuspocusCodec.decode(HocuspocusCodec.update(Address.of("d"), update));
        assertThat(m.update()).isEqualTo(update);
        assertThat(m.reply()).isFalse();
    }

    @Test
    void awarenessUpdateRoundTrips() {
        AwarenessUpdate u = new AwarenessUpdate(List.of(new AwarenessUpdate.Entry(7, 3, "{\"user\":\"é\"}"),
                new AwarenessUpdate.Entry(9, 1, "null")));
        AwarenessUpdate back = AwarenessUpdate.decode(u.encode());
        assertThat(back).isEqualTo(u);
        assertThat(back.entries().get(1).removed()).isTrue();
    }

    @Property(tries = 3000)
    void anyBytesDecodeOrFailWithAProtocolException(@ForAll byte[] frame) {
        try {
            HocuspocusCodec.decode(frame);
        } catch (ProtocolException expected) {
            assertThat(expected.closeCode()).isIn(CloseCode.RESET_CONNECTION, CloseCode.UNAUTHORIZED);
        }
    }
}
