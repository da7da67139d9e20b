package dev.quire.server;

import dev.quire.yjs.lib0.JsObject;
import dev.quire.yjs.model.YDoc;
import dev.quire.yjs.model.YXmlElement;
import dev.quire.yjs.model.YXmlFragment;
import dev.quire.yjs.model.YXmlText;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A Tiptap-shaped rich-text document written over time, as the updates its authors sent: the fragment "default"
 * holds paragraphs whose texts carry marks (bold, italic, links: Yjs format items). Each author writes paragraphs
 * in one transaction; then reviewers, who hold everything written, mark and unmark ranges of other authors' text,
 * insert marked words into it and delete some of it, so texts hold format items of several clients and deletes.
 */
public final class RichTextDocument {
    private static final List<Map<String, Object>> MARKS = List.of(
            Map.of("bold", true), Map.of("italic", true), Map.of("link", Map.of("href", "https://example.com/a")));

    private RichTextDocument() {
    }

    /** The updates, in the order they were made. */
    public static List<byte[]> updates(int authors, int paragraphsEach, int charsEach, int reviewers, int editsEach, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<byte[]> updates = new ArrayList<>();
        for (int a = 0; a < authors; a++) {
            YDoc author = new YDoc(200 + a, true);
            author.onUpdate((u, tr) -> updates.add(u));
            YXmlFragment root = author.getXmlFragment("default");
            author.transact(tr -> {
                for (int p = 0; p < paragraphsEach; p++) {
                    YXmlElement paragraph = new YXmlElement("paragraph");
                    root.insert(root.length(), List.of(paragraph));
                    YXmlText text = new YXmlText();
                    paragraph.insert(0, List.of(text));
                    while (text.length() < charsEach) {
                        String piece = letters(random, 20 + random.nextInt(200));
                        if (random.nextInt(3) == 0) {
                            text.insert(text.length(), piece, new JsObject(MARKS.get(random.nextInt(MARKS.size()))));
                        } else {
                            text.insert(text.length(), piece);
                        }
                    }
                }
            });
        }
        for (int r = 0; r < reviewers; r++) {
            YDoc reviewer = new YDoc(900 + r, true);
            updates.forEach(reviewer::applyUpdate);
            int from = updates.size();
            reviewer.onUpdate((u, tr) -> updates.add(u));
            List<YXmlText> texts = new ArrayList<>();
            for (Object o : reviewer.getXmlFragment("default").toArray()) {
                texts.add((YXmlText) ((YXmlElement) o).toArray().get(0));
            }
            for (int e = 0; e < editsEach; e++) {
                YXmlText text = texts.get(random.nextInt(texts.size()));
                int len = (int) text.length();
                int at = random.nextInt(len - 60);
                switch (random.nextInt(4)) {
                    case 0 -> text.format(at, 1 + random.nextInt(50), new JsObject(MARKS.get(random.nextInt(MARKS.size()))));
                    case 1 -> {
                        JsObject unmark = new JsObject();
                        unmark.put(random.nextBoolean() ? "bold" : "italic", null);
                        text.format(at, 1 + random.nextInt(50), unmark);
                    }
                    case 2 -> text.insert(at, " " + letters(random, 3 + random.nextInt(8)) + " ",
                            new JsObject(MARKS.get(random.nextInt(MARKS.size()))));
                    default -> text.delete(at, 1 + random.nextInt(30));
                }
            }
            if (updates.size() == from) {
                throw new IllegalStateException("reviewer " + r + " changed nothing");
            }
        }
        return updates;
    }

    private static String letters(SplittableRandom random, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(random.nextInt(6) == 0 ? ' ' : (char) ('a' + random.nextInt(26)));
        }
        return sb.toString();
    }
}
