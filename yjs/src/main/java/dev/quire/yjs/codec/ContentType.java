package dev.quire.yjs.codec;

/**
 * Ref 7: a nested shared type. {@code name} is the node name of an XML element or the hook name of
 * an XML hook, {@code null} for the other types.
 */
public record ContentType(int typeRef, String name) implements Content {
    public static final int REF = 7;
    public static final int Y_ARRAY = 0;
    public static final int Y_MAP = 1;
    public static final int Y_TEXT = 2;
    public static final int Y_XML_ELEMENT = 3;
    public static final int Y_XML_FRAGMENT = 4;
    public static final int Y_XML_HOOK = 5;
    public static final int Y_XML_TEXT = 6;

    private static final String[] NAMES = {"YArray", "YMap", "YText", "YXmlElement", "YXmlFragment", "YXmlHook", "YXmlText"};

    /** Whether the type ref carries a name key. */
    public static boolean hasName(int typeRef) {
        return typeRef == Y_XML_ELEMENT || typeRef == Y_XML_HOOK;
    }

    /** The yjs class name of a type ref ({@code YText}, ...). */
    public static String typeName(int typeRef) {
        return NAMES[typeRef];
    }

    @Override
    public int ref() {
        return REF;
    }

    @Override
    public long length() {
        return 1;
    }

    @Override
    public boolean countable() {
        return true;
    }

    @Override
    public void write(UpdateEncoder encoder, long offset) {
        encoder.writeTypeRef(typeRef);
        if (hasName(typeRef)) {
            encoder.writeKey(name);
        }
    }
}
