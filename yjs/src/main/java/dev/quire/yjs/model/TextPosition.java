package dev.quire.yjs.model;

import dev.quire.yjs.codec.ContentFormat;
import java.util.Map;

/** A position in a text while editing it: neighbours, index and the formatting in effect (yjs {@code ItemTextListPosition}). */
final class TextPosition {
    Item left;
    Item right;
    long index;
    final Map<String, Object> currentAttributes;

    TextPosition(Item left, Item right, long index, Map<String, Object> currentAttributes) {
        this.left = left;
        this.right = right;
        this.index = index;
        this.currentAttributes = currentAttributes;
    }

    void forward() {
        if (right == null) {
            throw new IllegalStateException("cannot move past the end of a text");
        }
        if (right.content instanceof ContentFormat f) {
            if (!right.deleted()) {
                updateCurrentAttributes(currentAttributes, f);
            }
        } else if (!right.deleted()) {
            index += right.length;
        }
        left = right;
        right = right.right;
    }

    static void updateCurrentAttributes(Map<String, Object> attrs, ContentFormat f) {
        if (f.value() == null) {
            attrs.remove(f.key());
        } else {
            attrs.put(f.key(), f.value());
        }
    }
}
