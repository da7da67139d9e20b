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

    /** A run built by appends and not read since, as a document holds a text being typed. */
    private static ContentString typedRun(String... pieces) {
        ContentString run = new ContentString(pieces[0]);
        for (int i = 1; i < pieces.length; i++) {
            run.append(new ContentString(pieces[i]));
        }
        return run;
    }

    @Test
    void tailsAndSplitsOfARunBeingTypedAreThoseOfItsText() {
        String[] pieces = {"ab", "😀", "c", "日本", "😀x"};
        ContentString whole = new ContentString(String.join("", pieces));
        for (int off = 0; off <= whole.length(); off++) {
            UpdateEncoderV1 typed = new UpdateEncoderV1();
            UpdateEncoderV1 expected = new UpdateEncoderV1();
            typedRun(pieces).write(typed, off); // each on a fresh run: reading the whole text would make the string
            whole.write(expected, off);
            assertThat(typed.toByteArray()).as("write from %d", off).isEqualTo(expected.toByteArray());
            assertThat(typedRun(pieces).left(off)).as("left %d", off).isEqualTo(whole.left(off));
            assertThat(typedRun(pieces).right(off)).as("right %d", off).isEqualTo(whole.right(off));
        }
    }

    /** As the model does around a repeated struct: split a run, merge it back, type on; the parts never change. */
    @Test
    void splitRunsMergeBackAndAppendsLeaveOtherPartsAlone() {
        String[] pieces = {"ab", "😀", "c", "日本", "xyz"};
        String text = String.join("", pieces);
        for (int off = 1; off < text.length(); off++) {
            if (Character.isHighSurrogate(text.charAt(off - 1))) {
                continue; // a cut inside a pair replaces both halves (tested above)
            }
            ContentString run = typedRun(pieces);
            ContentString left = (ContentString) run.left(off);
            ContentString right = (ContentString) run.right(off);
            ContentString extended = ((ContentString) run.left(off)).append(new ContentString("+"));
            assertThat(right.str()).as("right %d after the left part was appended to", off).isEqualTo(text.substring(off));
            assertThat(extended.str()).isEqualTo(text.substring(0, off) + "+");
            assertThat(left.append(right).str()).as("merged back at %d", off).isEqualTo(text);
            assertThat(left.append(new ContentString("!")).str()).isEqualTo(text + "!");
            assertThat(right.str()).isEqualTo(text.substring(off));
            assertThat(run.append(new ContentString("?")).str()).as("the run typed on after its parts").isEqualTo(text + "?");
            assertThat(left.str()).isEqualTo(text + "!");
            StringBuilder out = new StringBuilder(">");
            left.appendTo(out);
            assertThat(out.toString()).isEqualTo(">" + text + "!");
        }
    }
}
