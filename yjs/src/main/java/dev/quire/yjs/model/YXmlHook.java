package dev.quire.yjs.model;

import dev.quire.yjs.codec.ContentType;

/** Y.XmlHook: a map with a hook name, rendered by editors through a custom hook. */
public class YXmlHook extends YMap {
    private final String hookName;

    public YXmlHook(String hookName) {
        this.hookName = hookName;
    }

    public String hookName() {
        return hookName;
    }

    @Override
    int typeRef() {
        return ContentType.Y_XML_HOOK;
    }

    @Override
    String typeKey() {
        return hookName;
    }

    @Override
    AbstractType copyEmpty() {
        return new YXmlHook(hookName);
    }

    /** yjs's YXmlHook has no {@code toString}: inside XML it prints {@code [object Object]}. */
    @Override
    public String toString() {
        return "[object Object]";
    }
}
