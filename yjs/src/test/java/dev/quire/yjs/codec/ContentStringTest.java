package dev.quire.yjs.codec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link ContentString#append}: after appends the content behaves exactly as one built from the whole text. */
class ContentStringTest {
    @Test
    void appendedContentIsTheConcatenation() {
        ContentString run = new ContentString("ab");
        StringBuilder expected = new StringBuilder("ab");
        for (String piece : new String[] {"c", "日本", "😀", "", "xyz"}) {
            assertThat(run.append(new ContentString(piece))).isSameAs(run);
            expected.append(piece);
            assertThat(run.length()).isEqualTo(expected.length()); // before the text is read again
        }
        ContentString whole = new ContentString(expected.toString());
        assertThat(run.str()).isEqualTo(expected.toString());
        assertThat(run).isEqualTo(whole).hasSameHashCodeAs(whole).hasToString(whole.toString());
        for (int off = 0; off <= expected.length(); off++) {
            assertThat(run.left(off)).as("left %d", off).isEqualTo(whole.left(off));
            assertThat(run.right(off)).as("right %d", off).isEqualTo(whole.right(off));
        }
        run.append(new ContentString("!")); // appending after a read
        assertThat(run.str()).isEqualTo(expected + "!");
        UpdateEncoderV1 a = new UpdateEncoderV1();
        UpdateEncoderV1 b = new UpdateEncoderV1();
        run.write(a, 3);
        new ContentString(expected + "!").write(b, 3);
        assertThat(a.toByteArray()).isEqualTo(b.toByteArray());
    }
}
