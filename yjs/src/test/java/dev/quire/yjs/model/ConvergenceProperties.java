package dev.quire.yjs.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Convergence: documents edited concurrently, exchanging their updates in random orders (with missing
 * dependencies on the way), end with the same content, the same state vector and the same encoding.
 */
class ConvergenceProperties {
    @Property(tries = 150)
    void concurrentEditsConvergeInAnyDeliveryOrder(@ForAll @IntRange(min = 2, max = 4) int peers,
                                                   @ForAll long seed, @ForAll boolean gc) {
        Random rnd = new Random(seed);
        List<YDoc> docs = new ArrayList<>();
        List<byte[]> log = new ArrayList<>();
        for (int i = 0; i < peers; i++) {
            YDoc d = new YDoc(1000 + i * 7919L, gc);
            d.onUpdate((u, tr) -> {
                if (tr.local()) {
                    log.add(u);
                }
            });
            docs.add(d);
        }
        int rounds = 1 + rnd.nextInt(4);
        for (int r = 0; r < rounds; r++) {
            for (YDoc d : docs) {
                for (int e = rnd.nextInt(8); e >= 0; e--) {
                    RandomEditor.edit(d, rnd);
                }
            }
            // a partial sync: each doc gets a random subset of the log, shuffled (dependencies may be missing)
            for (YDoc d : docs) {
                List<byte[]> some = new ArrayList<>(log);
                Collections.shuffle(some, rnd);
                for (byte[] u : some.subList(0, rnd.nextInt(some.size() + 1))) {
                    d.applyUpdate(u);
                }
            }
        }
        // final sync: everything, in a different random order per doc; repeated while applying remote
        // updates makes new local ones (yjs's formatting cleanup deletes redundant marks and sends that)
        int synced = -1;
        for (int round = 0; synced != log.size(); round++) {
            assertThat(round).as("sync rounds").isLessThan(10);
            synced = log.size();
            for (YDoc d : docs) {
                List<byte[]> all = new ArrayList<>(log.subList(0, synced));
                Collections.shuffle(all, rnd);
                for (byte[] u : all) {
                    d.applyUpdate(u);
                }
            }
        }
        YDoc first = docs.get(0);
        for (YDoc d : docs) {
            assertThat(d.hasPendingStructs()).isFalse();
            assertThat(d.hasPendingDeletes()).isFalse();
            assertThat(d.getText("text").toDelta()).isEqualTo(first.getText("text").toDelta());
            assertThat(d.getMap("map").toJSON()).isEqualTo(first.getMap("map").toJSON());
            assertThat(d.getArray("array").toJSON()).isEqualTo(first.getArray("array").toJSON());
            assertThat(d.stateVector()).isEqualTo(first.stateVector());
            // the same encoding once each state is loaded into a fresh document
            YDoc a = new YDoc(1, gc);
            a.applyUpdate(d.encodeStateAsUpdate(null));
            YDoc b = new YDoc(1, gc);
            b.applyUpdate(first.encodeStateAsUpdate(null));
            assertThat(a.encodeStateAsUpdate(null)).isEqualTo(b.encodeStateAsUpdate(null));
        }
    }
}
