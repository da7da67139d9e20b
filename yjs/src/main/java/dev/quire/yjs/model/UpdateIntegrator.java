package dev.quire.yjs.model;

import dev.quire.yjs.MalformedUpdateException;
import dev.quire.yjs.MalformedUpdateException.Reason;
import dev.quire.yjs.Updates;
import dev.quire.yjs.codec.Content;
import dev.quire.yjs.codec.ContentReader;
import dev.quire.yjs.codec.ContentType;
import dev.quire.yjs.codec.DeleteSet;
import dev.quire.yjs.codec.DeleteSet.DeleteItem;
import dev.quire.yjs.codec.ID;
import dev.quire.yjs.codec.StructReader;
import dev.quire.yjs.codec.UpdateDecoder;
import dev.quire.yjs.codec.UpdateDecoderV2;
import dev.quire.yjs.codec.UpdateEncoderV2;
import dev.quire.yjs.codec.UpdateFormat;
import dev.quire.yjs.lib0.Lib0Reader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies an update to a document as yjs {@code readUpdateV2} does: read every struct, integrate those
 * whose dependencies are known (highest client first, jumping to a dependency's client on demand),
 * keep the rest as a pending v2 update, then apply the delete set, keeping unknown ranges pending too.
 *
 * <p>The whole update is decoded, and its nesting checked ({@link NestingDepth}), before the document is touched, so
 * a malformed update changes nothing: not even the roots it names are created before then.
 */
final class UpdateIntegrator {
    private UpdateIntegrator() {
    }

    private static final class Refs {
        int i;
        List<AbstractStruct> refs;

        Refs(List<AbstractStruct> refs) {
            this.refs = refs;
        }
    }

    /**
     * An update as read: its structs per client, its delete set, the roots it names (in the order yjs creates them
     * while reading) and where each of its types was read.
     */
    private record Decoded(Map<Long, Refs> refs, DeleteSet ds, Set<String> roots, Map<AbstractStruct, Long> typeOffsets) {
    }

    /** Decodes and applies {@code update} inside {@code tr}. */
    static void apply(Transaction tr, byte[] update, UpdateFormat format) {
        Decoded d = read(update, format);
        checkNesting(tr.doc.store, d);
        integrate(tr, d);
    }

    private static Decoded read(byte[] update, UpdateFormat format) {
        UpdateDecoder decoder = format.decoder(update);
        Set<String> roots = new LinkedHashSet<>();
        Map<AbstractStruct, Long> typeOffsets = new IdentityHashMap<>();
        Map<Long, Refs> refs = readClientsStructRefs(decoder, roots, typeOffsets, StructReader.maxStructs(update.length));
        return new Decoded(refs, DeleteSet.read(decoder), roots, typeOffsets);
    }

    /**
     * Refuses the update if integrating it would nest a type deeper than {@link YDoc#MAX_NESTING_DEPTH}. Pending structs
     * take part when the update may let them in (their lowest missing clock is below what the update brings): a chain
     * that waited for its parent is as deep as the parent that arrives makes it.
     */
    private static void checkNesting(StructStore store, Decoded d) {
        List<List<AbstractStruct>> structs = new ArrayList<>();
        for (Refs r : d.refs.values()) {
            structs.add(r.refs);
        }
        if (store.pendingStructs != null && mayRetryPending(store, d.refs)) {
            for (Refs r : read(store.pendingStructs.update, UpdateFormat.V2).refs.values()) {
                structs.add(r.refs);
            }
        }
        NestingDepth.check(store, structs, d.typeOffsets);
    }

    /** Whether integrating {@code refs} may reach a clock the pending structs miss (see the retry in {@link #integrate}). */
    private static boolean mayRetryPending(StructStore store, Map<Long, Refs> refs) {
        for (Map.Entry<Long, Long> e : store.pendingStructs.missing.entrySet()) {
            long reach = store.getState(e.getKey());
            Refs r = refs.get(e.getKey());
            if (r != null && !r.refs.isEmpty()) {
                AbstractStruct last = r.refs.get(r.refs.size() - 1);
                reach = Math.max(reach, last.clock + last.length);
            }
            if (e.getValue() < reach) {
                return true;
            }
        }
        return false;
    }

    private static void resolveRoots(YDoc doc, Decoded d) {
        for (String name : d.roots) {
            doc.get(name);
        }
        for (Refs r : d.refs.values()) {
            for (AbstractStruct s : r.refs) {
                if (s instanceof Item item && item.parent instanceof String name) {
                    item.parent = doc.get(name);
                }
            }
        }
    }

    private static void integrate(Transaction tr, Decoded d) {
        YDoc doc = tr.doc;
        resolveRoots(doc, d);
        Map<Long, Refs> ss = d.refs;
        DeleteSet ds = d.ds;
        StructStore store = doc.store;
        tr.local = false;
        boolean retry = false;
        StructStore.PendingStructs restStructs = integrateStructs(tr, store, ss);
        StructStore.PendingStructs pending = store.pendingStructs;
        if (pending != null) {
            for (Map.Entry<Long, Long> e : pending.missing.entrySet()) {
                if (e.getValue() < store.getState(e.getKey())) {
                    retry = true;
                    break;
                }
            }
            if (restStructs != null) {
                for (Map.Entry<Long, Long> e : restStructs.missing.entrySet()) {
                    Long mclock = pending.missing.get(e.getKey());
                    if (mclock == null || mclock > e.getValue()) {
                        pending.missing.put(e.getKey(), e.getValue());
                    }
                }
                pending.update = Updates.mergeUpdatesV2(List.of(pending.update, restStructs.update));
            }
        } else {
            store.pendingStructs = restStructs;
        }
        byte[] dsRest = applyDeleteSet(tr, store, ds);
        if (restStructs != null || dsRest != null) {
            store.keptPending++;
        }
        if (store.pendingDs != null) {
            UpdateDecoderV2 pendingDecoder = new UpdateDecoderV2(store.pendingDs);
            pendingDecoder.rest().readVarUint(); // no structs in a pending delete set update
            byte[] dsRest2 = applyDeleteSet(tr, store, DeleteSet.read(pendingDecoder));
            if (dsRest != null && dsRest2 != null) {
                store.pendingDs = Updates.mergeUpdatesV2(List.of(dsRest, dsRest2));
            } else {
                store.pendingDs = dsRest != null ? dsRest : dsRest2;
            }
        } else {
            store.pendingDs = dsRest;
        }
        if (retry) {
            byte[] update = store.pendingStructs.update;
            store.pendingStructs = null;
            integrate(tr, read(update, UpdateFormat.V2)); // checked with the update that let it in
        }
    }

    /** Reads the structs; parents that are roots are left as their names, collected in {@code roots}. */
    static Map<Long, Refs> readClientsStructRefs(UpdateDecoder decoder, Set<String> roots, Map<AbstractStruct, Long> typeOffsets,
                                                 long maxStructs) {
        Map<Long, Refs> clientRefs = new LinkedHashMap<>();
        Lib0Reader rest = decoder.rest();
        long numOfStateUpdates = rest.readVarUint();
        long total = 0;
        for (long n = 0; n < numOfStateUpdates; n++) {
            if (!rest.hasContent()) {
                throw rest.error(Reason.TRUNCATED, "unexpected end of input, expected client " + (n + 1) + " of " + numOfStateUpdates);
            }
            long numberOfStructs = rest.readVarUint();
            List<AbstractStruct> refs = new ArrayList<>();
            long client = decoder.readClient();
            long clock = rest.readVarUint();
            clientRefs.put(client, new Refs(refs)); // as in yjs, a client listed twice keeps only its last block
            for (long i = 0; i < numberOfStructs; i++) {
                if (++total > maxStructs) {
                    throw rest.error(Reason.HOSTILE_SIZE, "update declares more than " + maxStructs + " structs");
                }
                long at = rest.offset();
                int info = decoder.readInfo();
                AbstractStruct struct;
                switch (info & dev.quire.yjs.codec.Item.CONTENT_REF_MASK) {
                    case 0 -> struct = new GC(client, clock, decoder.readLen());
                    case 10 -> struct = new Skip(client, clock, rest.readVarUint());
                    default -> {
                        boolean cantCopyParentInfo = (info & (dev.quire.yjs.codec.Item.HAS_ORIGIN | dev.quire.yjs.codec.Item.HAS_RIGHT_ORIGIN)) == 0;
                        ID origin = (info & dev.quire.yjs.codec.Item.HAS_ORIGIN) != 0 ? decoder.readLeftId() : null;
                        ID rightOrigin = (info & dev.quire.yjs.codec.Item.HAS_RIGHT_ORIGIN) != 0 ? decoder.readRightId() : null;
                        Object parent = null;
                        String parentSub = null;
                        if (cantCopyParentInfo) {
                            if (decoder.readParentInfo()) {
                                String root = decoder.readString();
                                roots.add(root);
                                parent = root;
                            } else {
                                parent = decoder.readLeftId();
                            }
                            if ((info & dev.quire.yjs.codec.Item.HAS_PARENT_SUB) != 0) {
                                parentSub = decoder.readString();
                            }
                        }
                        Content content = ContentReader.read(decoder, info & dev.quire.yjs.codec.Item.CONTENT_REF_MASK);
                        AbstractType type = content instanceof ContentType ct ? AbstractType.fromContent(ct) : null;
                        struct = new Item(client, clock, null, origin, null, rightOrigin, parent, parentSub, content, type);
                        if (type != null) {
                            typeOffsets.put(struct, at);
                        }
                    }
                }
                if (struct.length <= 0) {
                    throw new MalformedUpdateException(Reason.INVALID_VALUE, at, "zero-length struct at " + client + ":" + clock);
                }
                refs.add(struct);
                clock += struct.length;
                if (clock > Lib0Reader.MAX_SAFE_INTEGER) {
                    throw new MalformedUpdateException(Reason.INVALID_VALUE, at, "clock of client " + client + " beyond 2^53-1");
                }
            }
        }
        return clientRefs;
    }

    /** yjs {@code integrateStructs}; returns the structs that could not be integrated, as a pending update. */
    private static StructStore.PendingStructs integrateStructs(Transaction tr, StructStore store, Map<Long, Refs> clientsStructRefs) {
        List<AbstractStruct> stack = new ArrayList<>();
        List<Long> ids = new ArrayList<>(clientsStructRefs.keySet());
        ids.sort(null);
        if (ids.isEmpty()) {
            return null;
        }
        Refs curStructsTarget = nextTarget(ids, clientsStructRefs);
        if (curStructsTarget == null) {
            return null;
        }
        StructStore restStructs = new StructStore();
        Map<Long, Long> missingSV = new LinkedHashMap<>();
        Map<Long, Long> state = new HashMap<>();
        AbstractStruct stackHead = curStructsTarget.refs.get(curStructsTarget.i++);
        while (true) {
            if (!(stackHead instanceof Skip)) {
                final long headClient = stackHead.client;
                long localClock = state.computeIfAbsent(headClient, c -> store.getState(c));
                long offset = localClock - stackHead.clock;
                if (offset < 0) {
                    stack.add(stackHead);
                    updateMissingSv(missingSV, headClient, stackHead.clock - 1);
                    addStackToRestSS(stack, clientsStructRefs, restStructs, ids);
                } else {
                    long missing = stackHead.getMissing(tr, store);
                    if (missing != -1) {
                        stack.add(stackHead);
                        Refs structRefs = clientsStructRefs.get(missing);
                        if (structRefs == null || structRefs.refs.size() == structRefs.i) {
                            updateMissingSv(missingSV, missing, store.getState(missing));
                            addStackToRestSS(stack, clientsStructRefs, restStructs, ids);
                        } else {
                            stackHead = structRefs.refs.get(structRefs.i++);
                            continue;
                        }
                    } else if (offset == 0 || offset < stackHead.length) {
                        stackHead.integrate(tr, offset);
                        state.put(stackHead.client, stackHead.clock + stackHead.length);
                    }
                }
            }
            if (!stack.isEmpty()) {
                stackHead = stack.remove(stack.size() - 1);
            } else if (curStructsTarget != null && curStructsTarget.i < curStructsTarget.refs.size()) {
                stackHead = curStructsTarget.refs.get(curStructsTarget.i++);
            } else {
                curStructsTarget = nextTarget(ids, clientsStructRefs);
                if (curStructsTarget == null) {
                    break;
                }
                stackHead = curStructsTarget.refs.get(curStructsTarget.i++);
            }
        }
        if (!restStructs.clients.isEmpty()) {
            UpdateEncoderV2 encoder = new UpdateEncoderV2();
            StateEncoder.writeClientsStructs(encoder, restStructs, Map.of());
            encoder.rest().writeVarUint(0); // no deletes
            return new StructStore.PendingStructs(missingSV, encoder.toByteArray());
        }
        return null;
    }

    private static Refs nextTarget(List<Long> ids, Map<Long, Refs> clientsStructRefs) {
        if (ids.isEmpty()) {
            return null;
        }
        Refs next = clientsStructRefs.get(ids.get(ids.size() - 1));
        while (next.refs.size() == next.i) {
            ids.remove(ids.size() - 1);
            if (!ids.isEmpty()) {
                next = clientsStructRefs.get(ids.get(ids.size() - 1));
            } else {
                return null;
            }
        }
        return next;
    }

    private static void updateMissingSv(Map<Long, Long> missingSV, long client, long clock) {
        Long mclock = missingSV.get(client);
        if (mclock == null || mclock > clock) {
            missingSV.put(client, clock);
        }
    }

    private static void addStackToRestSS(List<AbstractStruct> stack, Map<Long, Refs> clientsStructRefs, StructStore restStructs,
                                         List<Long> ids) {
        for (AbstractStruct item : stack) {
            long client = item.client;
            Refs inapplicable = clientsStructRefs.get(client);
            if (inapplicable != null) {
                inapplicable.i--;
                restStructs.clients.put(client, new ArrayList<>(inapplicable.refs.subList(inapplicable.i, inapplicable.refs.size())));
                clientsStructRefs.remove(client);
                inapplicable.i = 0;
                inapplicable.refs = new ArrayList<>();
            } else {
                List<AbstractStruct> one = new ArrayList<>();
                one.add(item);
                restStructs.clients.put(client, one);
            }
            ids.removeIf(c -> c == client);
        }
        stack.clear();
    }

    /** yjs {@code readAndApplyDeleteSet}; returns the ranges beyond the known state as a v2 update, or null. */
    private static byte[] applyDeleteSet(Transaction tr, StructStore store, DeleteSet ds) {
        DeleteSet unapplied = new DeleteSet();
        for (Map.Entry<Long, List<DeleteItem>> e : ds.clients().entrySet()) {
            long client = e.getKey();
            List<AbstractStruct> structs = store.clients.getOrDefault(client, List.of());
            long state = store.getState(client);
            for (DeleteItem del : e.getValue()) {
                long clock = del.clock();
                long clockEnd = clock + del.len();
                if (clock < state) {
                    if (state < clockEnd) {
                        unapplied.add(client, state, clockEnd - state);
                    }
                    int index = StructStore.findIndexSS(structs, clock);
                    AbstractStruct struct = structs.get(index);
                    if (!struct.deleted() && struct.clock < clock) {
                        structs.add(index + 1, ((Item) struct).split(tr, clock - struct.clock));
                        index++;
                    }
                    while (index < structs.size()) {
                        struct = structs.get(index++);
                        if (struct.clock < clockEnd) {
                            if (!struct.deleted()) {
                                Item item = (Item) struct;
                                if (clockEnd < struct.clock + struct.length) {
                                    structs.add(index, item.split(tr, clockEnd - struct.clock));
                                }
                                item.delete(tr);
                            }
                        } else {
                            break;
                        }
                    }
                } else {
                    unapplied.add(client, clock, clockEnd - clock);
                }
            }
        }
        if (!unapplied.isEmpty()) {
            UpdateEncoderV2 encoder = new UpdateEncoderV2();
            encoder.rest().writeVarUint(0); // no structs
            unapplied.write(encoder);
            return encoder.toByteArray();
        }
        return null;
    }
}
