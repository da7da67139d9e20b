package dev.quire.yjs.lib0;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A JavaScript plain object: a string-keyed map that iterates in {@code Object.keys} order.
 *
 * <p>JavaScript lists "array index" keys (canonical decimal strings {@code "0"} .. {@code "4294967294"})
 * first in ascending numeric order, then every other key in insertion order. Yjs writes objects in
 * that order, so byte equality with yjs needs the same order here. Putting an existing key keeps
 * its position, as assigning an existing property does in JavaScript.
 */
public final class JsObject extends AbstractMap<String, Object> {
    private final LinkedHashMap<String, Object> map = new LinkedHashMap<>();
    private List<String> orderedKeys; // null when it must be recomputed

    public JsObject() {
    }

    /** Copies {@code source}; its iteration order is taken as the insertion order. */
    public JsObject(Map<String, ?> source) {
        source.forEach(this::put);
    }

    @Override
    public Object put(String key, Object value) {
        if (!map.containsKey(key)) {
            orderedKeys = null;
        }
        return map.put(key, value);
    }

    @Override
    public Object get(Object key) {
        return map.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return map.containsKey(key);
    }

    @Override
    public Object remove(Object key) {
        orderedKeys = null;
        return map.remove(key);
    }

    @Override
    public int size() {
        return map.size();
    }

    /** The keys in JavaScript {@code Object.keys} order. */
    public List<String> keys() {
        if (orderedKeys == null) {
            orderedKeys = jsKeyOrder(map.keySet());
        }
        return orderedKeys;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, Object>> iterator() {
                Iterator<String> it = keys().iterator();
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    @Override
                    public Entry<String, Object> next() {
                        String k = it.next();
                        return new SimpleImmutableEntry<>(k, map.get(k));
                    }
                };
            }

            @Override
            public int size() {
                return map.size();
            }
        };
    }

    /** Orders keys as JavaScript's {@code Object.keys}: array indices ascending, then the rest as given. */
    public static List<String> jsKeyOrder(Iterable<String> keys) {
        List<String> indices = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (String k : keys) {
            (isArrayIndex(k) ? indices : others).add(k);
        }
        if (indices.isEmpty()) {
            return others;
        }
        indices.sort((a, b) -> Long.compare(Long.parseLong(a), Long.parseLong(b)));
        indices.addAll(others);
        return indices;
    }

    /** True for canonical decimal strings of integers 0 .. 2^32-2 (JavaScript array indices). */
    public static boolean isArrayIndex(String k) {
        int n = k.length();
        if (n == 0 || n > 10) {
            return false;
        }
        if (n > 1 && k.charAt(0) == '0') {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = k.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return Long.parseLong(k) <= 4294967294L;
    }
}
