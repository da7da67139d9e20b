package dev.quire.yjs.model;

import dev.quire.yjs.MalformedUpdateException;
import dev.quire.yjs.MalformedUpdateException.Reason;
import dev.quire.yjs.Updates;
import dev.quire.yjs.codec.UpdateEncoder;
import dev.quire.yjs.codec.UpdateFormat;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A Yjs document: applies updates (YATA integration, pending structs and deletes), garbage-collects,
 * encodes its state byte-equal to yjs 13.6, and offers local edits through its root types.
 *
 * <pre>{@code
 * YDoc doc = new YDoc(1, true);              // client id, gc
 * doc.applyUpdate(updateFromPeer);
 * String text = doc.getText("content").toString();
 * doc.onUpdate((update, tr) -> publish(update));
 * doc.getText("content").insert(0, "Hello");
 * byte[] state = doc.encodeStateAsUpdate(null);
 * }</pre>
 *
 * <p>Not thread-safe: one thread at a time. Decoding errors throw {@link MalformedUpdateException}
 * before the document changes.
 */
public final class YDoc {
    /**
     * How deep types may nest: a root type is at depth 0, a type inside it at 1, and so on. An update that would put a
     * type deeper is refused whole, with a {@link MalformedUpdateException}, before the document changes; so is a
     * local insert. Real documents stay far below: a ProseMirror document rarely passes 50 levels (lists in lists in
     * tables), so 512 leaves ten times that. Deeper nesting only serves to exhaust whoever walks the tree one call per
     * level: yjs itself does (deleting, collecting, {@code toJSON}), in every browser and Node that shares the
     * document, and so do JSON libraries (Jackson refuses more than 1,000 levels by default), whereas this engine
     * walks such trees without recursion. Since the server and the persister apply updates with this same class, both
     * refuse the same updates.
     */
    public static final int MAX_NESTING_DEPTH = 512;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] EMPTY_SV = {0};

    long clientId;
    final boolean gc;
    final Map<String, AbstractType> share = new LinkedHashMap<>();
    final StructStore store = new StructStore();
    private Transaction transaction;
    private List<Transaction> transactionCleanups = new ArrayList<>();
    private final List<BiConsumer<byte[], Transaction>> updateListeners = new CopyOnWriteArrayList<>();
    private final List<BiConsumer<byte[], Transaction>> updateV2Listeners = new CopyOnWriteArrayList<>();

    /** A document with a random 32-bit client id and garbage collection on, as {@code new Y.Doc()}. */
    public YDoc() {
        this(RANDOM.nextInt() & 0xFFFFFFFFL, true);
    }

    public YDoc(long clientId, boolean gc) {
        this.clientId = clientId;
        this.gc = gc;
    }

    public long clientId() {
        return clientId;
    }

    public boolean gc() {
        return gc;
    }

    /** Called with the v1 update of every transaction that changed something. */
    public void onUpdate(BiConsumer<byte[], Transaction> listener) {
        updateListeners.add(listener);
    }

    /** Called with the v2 update of every transaction that changed something. */
    public void onUpdateV2(BiConsumer<byte[], Transaction> listener) {
        updateV2Listeners.add(listener);
    }

    /** Runs {@code f} in one transaction (nested calls join the running one). */
    public void transact(Consumer<Transaction> f) {
        transact(f, null, true);
    }

    void transact(Consumer<Transaction> f, Object origin, boolean local) {
        List<Transaction> cleanups = transactionCleanups;
        boolean initialCall = false;
        if (transaction == null) {
            initialCall = true;
            transaction = new Transaction(this, origin, local);
            cleanups.add(transaction);
        }
        try {
            f.accept(transaction);
        } finally {
            if (initialCall) {
                boolean finishCleanup = transaction == cleanups.get(0);
                transaction = null;
                if (finishCleanup) {
                    cleanupTransactions(cleanups);
                }
            }
        }
    }

    private void cleanupTransactions(List<Transaction> cleanups) {
        for (int i = 0; i < cleanups.size(); i++) {
            Transaction tr = cleanups.get(i);
            try {
                tr.deleteSet.sortAndMerge();
                tr.afterState = store.getStateVector();
                for (Map.Entry<AbstractType, Set<String>> e : new ArrayList<>(tr.changed.entrySet())) {
                    AbstractType type = e.getKey();
                    if (type.item == null || !type.item.deleted()) {
                        type.callObserver(tr, e.getValue());
                    }
                }
                if (tr.needFormattingCleanup) {
                    TextOps.cleanupYTextAfterTransaction(tr);
                }
            } finally {
                if (gc) {
                    Cleanup.tryGcDeleteSet(tr.deleteSet, store);
                }
                Cleanup.tryMergeDeleteSet(tr.deleteSet, store);
                mergeNewStructs(tr);
                if (!tr.local && !java.util.Objects.equals(tr.afterState.get(clientId), tr.beforeState.get(clientId))) {
                    clientId = RANDOM.nextInt() & 0xFFFFFFFFL; // another client uses our id: pick a new one, as yjs
                }
                emit(tr, updateListeners, UpdateFormat.V1);
                emit(tr, updateV2Listeners, UpdateFormat.V2);
            }
        }
        transactionCleanups = new ArrayList<>();
    }

    private void mergeNewStructs(Transaction tr) {
        tr.afterState.forEach((client, clock) -> {
            long beforeClock = tr.beforeState.getOrDefault(client, 0L);
            if (beforeClock != clock) {
                List<AbstractStruct> structs = store.clients.get(client);
                int firstChangePos = Math.max(StructStore.findIndexSS(structs, beforeClock), 1);
                for (int i = structs.size() - 1; i >= firstChangePos; ) {
                    i -= 1 + Cleanup.tryToMergeWithLefts(structs, i);
                }
            }
        });
        for (int i = tr.mergeStructs.size() - 1; i >= 0; i--) {
            Item m = tr.mergeStructs.get(i);
            List<AbstractStruct> structs = store.clients.get(m.client);
            int replacedStructPos = StructStore.findIndexSS(structs, m.clock);
            if (replacedStructPos + 1 < structs.size()) {
                if (Cleanup.tryToMergeWithLefts(structs, replacedStructPos + 1) > 1) {
                    continue; // both are merged already
                }
            }
            if (replacedStructPos > 0) {
                Cleanup.tryToMergeWithLefts(structs, replacedStructPos);
            }
        }
    }

    private void emit(Transaction tr, List<BiConsumer<byte[], Transaction>> listeners, UpdateFormat format) {
        if (listeners.isEmpty()) {
            return;
        }
        boolean changed = !tr.deleteSet.isEmpty();
        if (!changed) {
            for (Map.Entry<Long, Long> e : tr.afterState.entrySet()) {
                if (!e.getValue().equals(tr.beforeState.get(e.getKey()))) {
                    changed = true;
                    break;
                }
            }
        }
        if (!changed) {
            return;
        }
        tr.deleteSet.sortAndMerge();
        UpdateEncoder encoder = format.encoder();
        StateEncoder.writeClientsStructs(encoder, store, tr.beforeState);
        tr.deleteSet.write(encoder);
        byte[] update = encoder.toByteArray();
        for (BiConsumer<byte[], Transaction> l : listeners) {
            l.accept(update, tr);
        }
    }

    // ---- root types ---------------------------------------------------------------------------

    /** The root type {@code name}, created untyped if it does not exist yet (yjs {@code doc.get(name)}). */
    AbstractType get(String name) {
        return share.computeIfAbsent(name, n -> {
            AbstractType t = new AbstractType();
            t.rootName = n;
            t.integrate(this, null);
            return t;
        });
    }

    @SuppressWarnings("unchecked")
    private <T extends AbstractType> T get(String name, Class<T> kind, java.util.function.Supplier<T> create) {
        AbstractType type = share.get(name);
        if (type == null) {
            T t = create.get();
            t.rootName = name;
            t.integrate(this, null);
            share.put(name, t);
            return t;
        }
        if (kind.isInstance(type) && type.getClass() == kind) {
            return (T) type;
        }
        if (type.getClass() == AbstractType.class) {
            // an untyped root becomes the requested type: it takes over items, map and length
            T t = create.get();
            t.map.putAll(type.map);
            for (Item n : type.map.values()) {
                for (; n != null; n = n.left) {
                    n.parent = t;
                }
            }
            t.start = type.start;
            for (Item n = t.start; n != null; n = n.right) {
                n.parent = t;
            }
            t.length = type.length;
            t.rootName = name;
            share.put(name, t);
            t.integrate(this, null);
            return t;
        }
        throw new IllegalStateException("Type with the name " + name + " has already been defined with a different constructor");
    }

    public YText getText(String name) {
        return get(name, YText.class, YText::new);
    }

    public YMap getMap(String name) {
        return get(name, YMap.class, YMap::new);
    }

    public YArray getArray(String name) {
        return get(name, YArray.class, YArray::new);
    }

    public YXmlFragment getXmlFragment(String name) {
        return get(name, YXmlFragment.class, YXmlFragment::new);
    }

    /**
     * The kind of each root type: {@code text}, {@code map}, {@code array} or {@code xmlFragment}. Roots that
     * were only seen in updates have no kind in yjs until asked for; this infers it from their content:
     * strings, formats or embeds make a text, XML nodes an XML fragment, map entries without a list a map,
     * anything else an array. Used to show a replayed document to a person.
     */
    public Map<String, String> inferRootKinds() {
        Map<String, String> out = new LinkedHashMap<>();
        share.forEach((name, type) -> out.put(name, RootKinds.of(type)));
        return out;
    }

    /** Names of the root types known to this document. */
    public Set<String> rootNames() {
        return java.util.Collections.unmodifiableSet(share.keySet());
    }

    // ---- updates ------------------------------------------------------------------------------

    public void applyUpdate(byte[] update) {
        applyUpdate(update, UpdateFormat.V1, null);
    }

    public void applyUpdateV2(byte[] update) {
        applyUpdate(update, UpdateFormat.V2, null);
    }

    /**
     * Applies an update; {@code origin} is handed to listeners in the transaction.
     *
     * @throws MalformedUpdateException if the update does not decode (the document is then unchanged)
     */
    public void applyUpdate(byte[] update, UpdateFormat format, Object origin) {
        Updates.validate(update, format); // never integrate half an update
        try {
            transact(tr -> UpdateIntegrator.apply(tr, update, format), origin, false);
        } catch (MalformedUpdateException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new MalformedUpdateException(Reason.INVALID_VALUE, -1, "update cannot be applied: " + e, e);
        }
    }

    /** {@code Y.encodeStateAsUpdate(doc, sv)}: everything {@code encodedStateVector} (null = nothing) lacks. */
    public byte[] encodeStateAsUpdate(byte[] encodedStateVector) {
        return StateEncoder.encodeStateAsUpdate(this, encodedStateVector == null ? EMPTY_SV : encodedStateVector, UpdateFormat.V1);
    }

    public byte[] encodeStateAsUpdateV2(byte[] encodedStateVector) {
        return StateEncoder.encodeStateAsUpdate(this, encodedStateVector == null ? EMPTY_SV : encodedStateVector, UpdateFormat.V2);
    }

    /** {@code Y.encodeStateVector(doc)}. */
    public byte[] encodeStateVector() {
        return Updates.encodeStateVector(store.getStateVector());
    }

    /** Client to next expected clock. */
    public Map<Long, Long> stateVector() {
        return store.getStateVector();
    }

    /** Whether structs wait for updates that have not arrived. */
    public boolean hasPendingStructs() {
        return store.pendingStructs != null;
    }

    /** Whether deletes wait for structs that have not arrived. */
    public boolean hasPendingDeletes() {
        return store.pendingDs != null;
    }

    /**
     * How many applied updates left structs or deletes of their own waiting for ones that have not arrived, since
     * this document was created. Such an update may change nothing now and still hold content that nobody else has:
     * a server compares this before and after applying to know that it must store and forward the update anyway.
     */
    public long updatesKeptPending() {
        return store.keptPending;
    }

    /**
     * Whether {@code other} holds the same document: the same structs (state vectors), the same of them deleted and
     * nothing pending in either. How items are split into structs, and whether deleted content was collected, does
     * not matter: Yjs orders the same items the same way whatever the order they arrived in.
     */
    public boolean sameStateAs(YDoc other) {
        return !hasPendingStructs() && !hasPendingDeletes() && !other.hasPendingStructs() && !other.hasPendingDeletes()
                && stateVector().equals(other.stateVector())
                && StateEncoder.deleteSetOf(store).clients().equals(StateEncoder.deleteSetOf(other.store).clients());
    }
}
