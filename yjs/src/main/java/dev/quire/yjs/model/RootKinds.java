package dev.quire.yjs.model;

import dev.quire.yjs.codec.ContentEmbed;
import dev.quire.yjs.codec.ContentFormat;
import dev.quire.yjs.codec.ContentString;
import dev.quire.yjs.codec.ContentType;

/** Infers what kind a root type is from its content (see {@link YDoc#inferRootKinds()}). */
final class RootKinds {
    private RootKinds() {
    }

    static String of(AbstractType t) {
        if (t instanceof YXmlFragment) {
            return "xmlFragment";
        }
        if (t instanceof YText) {
            return "text";
        }
        if (t instanceof YArray) {
            return "array";
        }
        if (t instanceof YMap) {
            return "map";
        }
        if (t.start == null) {
            return t.map.isEmpty() ? "text" : "map";
        }
        boolean onlyDeleted = true;
        for (Item n = t.start; n != null; n = n.right) {
            if (!(n.content instanceof dev.quire.yjs.codec.ContentDeleted)) {
                onlyDeleted = false;
            }
            if (n.content instanceof ContentString || n.content instanceof ContentFormat || n.content instanceof ContentEmbed) {
                return "text";
            }
            if (n.content instanceof ContentType ct && (ct.typeRef() == ContentType.Y_XML_ELEMENT
                    || ct.typeRef() == ContentType.Y_XML_TEXT || ct.typeRef() == ContentType.Y_XML_HOOK)) {
                return "xmlFragment";
            }
        }
        return onlyDeleted ? "text" : "array"; // collected content no longer tells; editors mostly use texts
    }
}
