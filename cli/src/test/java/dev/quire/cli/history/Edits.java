package dev.quire.cli.history;

import dev.quire.cli.history.TestDatabase.Update;
import dev.quire.yjs.model.YDoc;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Updates made by real {@link YDoc} edits, laid out as the log would hold them: documents interleaved on one
 * partition, so a document's offsets have gaps, one second apart from {@link #T0}.
 */
final class Edits {
    static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    private Edits() {
    }

    /**
     * {@code rounds} rounds; in each, every document makes one edit: "a" types into root text "content" (and
     * sets map "meta" now and then), "b" types into "content", "multi" edits texts "title" and "body".
     */
    static List<Update> interleaved(int rounds, long seed) {
        Random rnd = new Random(seed);
        List<Update> out = new ArrayList<>();
        String[] names = {"notes/a", "b", "multi"};
        YDoc[] docs = new YDoc[names.length];
        long[] offset = {0};
        for (int d = 0; d < names.length; d++) {
            String name = names[d];
            docs[d] = new YDoc(100 + d, true);
            docs[d].onUpdate((u, tr) -> {
                long o = offset[0]++;
                out.add(new Update(0, o, name, T0.plus(Duration.ofSeconds(o)), o % 5 == 0 ? null : "front-" + (o % 2), u));
            });
        }
        for (int r = 0; r < rounds; r++) {
            typeInto(docs[0].getText("content"), rnd);
            if (r % 4 == 2) {
                docs[0].getMap("meta").set("round", (double) r);
            }
            typeInto(docs[1].getText("content"), rnd);
            typeInto(docs[2].getText(r % 2 == 0 ? "title" : "body"), rnd);
        }
        return out;
    }

    private static void typeInto(dev.quire.yjs.model.YText text, Random rnd) {
        if (text.length() > 3 && rnd.nextInt(4) == 0) {
            text.delete(rnd.nextInt((int) text.length()), 1);
        } else {
            text.insert(rnd.nextInt((int) text.length() + 1), "héllo wörld 😀 ".substring(rnd.nextInt(10)));
        }
    }
}
