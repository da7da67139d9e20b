package dev.quire.yjs.model;

import dev.quire.yjs.codec.Content;
import dev.quire.yjs.codec.ContentAny;
import dev.quire.yjs.codec.ContentDeleted;
import dev.quire.yjs.codec.ContentJSON;
import dev.quire.yjs.codec.ContentString;
import java.util.ArrayList;
import java.util.List;

/** yjs {@code content.mergeWith}: the kinds that can be one run (deleted, JSON, string, any). */
final class Contents {
    private Contents() {
    }

    /** The content of {@code left} followed by {@code right}, or null when this kind does not merge. */
    static Content merge(Content left, Content right) {
        if (left instanceof ContentString l && right instanceof ContentString r) {
            return l.append(r); // in place, as yjs's mergeWith: the left item's content, referred to by nothing else
        }
        if (left instanceof ContentDeleted l && right instanceof ContentDeleted r) {
            return new ContentDeleted(l.len() + r.len());
        }
        if (left instanceof ContentAny l && right instanceof ContentAny r) {
            return new ContentAny(concat(l.arr(), r.arr()));
        }
        if (left instanceof ContentJSON l && right instanceof ContentJSON r) {
            return new ContentJSON(concat(l.arr(), r.arr()));
        }
        return null;
    }

    private static List<Object> concat(List<Object> a, List<Object> b) {
        List<Object> out = new ArrayList<>(a.size() + b.size());
        out.addAll(a);
        out.addAll(b);
        return out;
    }
}
