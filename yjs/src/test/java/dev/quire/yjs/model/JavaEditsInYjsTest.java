package dev.quire.yjs.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quire.yjs.YjsNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Updates made by the Java editing API are accepted by the real yjs (pinned in src/test/js): applied in
 * Node they give the same {@code encodeStateAsUpdate} bytes and the same content as in Java.
 */
@Timeout(120)
class JavaEditsInYjsTest {
    private record Scenario(int id, boolean gc, long clientId, List<byte[]> updates, YDoc reference) {
    }

    @Test
    void yjsAppliesJavaEditsToTheSameState() throws Exception {
        List<Scenario> scenarios = new ArrayList<>();
        Random rnd = new Random(20261126);
        for (int id = 0; id < 60; id++) {
            boolean gc = rnd.nextBoolean();
            List<byte[]> updates = new ArrayList<>();
            List<YDoc> peers = new ArrayList<>();
            for (int p = 0; p < 1 + rnd.nextInt(3); p++) {
                YDoc d = new YDoc(100 + p, gc);
                d.onUpdate((u, tr) -> {
                    if (tr.local()) {
                        updates.add(u);
                    }
                });
                peers.add(d);
            }
            for (int step = 0; step < 40; step++) {
                YDoc d = peers.get(rnd.nextInt(peers.size()));
                RandomEditor.edit(d, rnd);
                if (rnd.nextInt(5) == 0) { // occasional sync so peers build on each other's edits
                    List<byte[]> snapshot = new ArrayList<>(updates);
                    for (YDoc other : peers) {
                        for (byte[] u : snapshot) {
                            other.applyUpdate(u);
                        }
                    }
                }
            }
            List<byte[]> delivery = new ArrayList<>(updates);
            Collections.shuffle(delivery, rnd);
            YDoc reference = new YDoc(7, gc);
            for (byte[] u : delivery) {
                reference.applyUpdate(u);
            }
            scenarios.add(new Scenario(id, gc, 7, delivery, reference));
        }

        StringBuilder input = new StringBuilder();
        for (Scenario s : scenarios) {
            input.append(YjsNode.request(s.id(), s.gc(), s.clientId(), s.updates(), RandomEditor.ROOTS));
        }
        List<JsonNode> results = YjsNode.applyUpdates(input.toString());
        assertThat(results).hasSize(scenarios.size());
        int compared = 0;
        for (int i = 0; i < scenarios.size(); i++) {
            Scenario s = scenarios.get(i);
            JsonNode r = results.get(i);
            assertThat(r.has("error")).as("yjs rejected scenario %d: %s", s.id(), r.path("error").asText()).isFalse();
            assertThat(Base64.getDecoder().decode(r.get("state").asText()))
                    .as("state of scenario %d", s.id()).isEqualTo(s.reference().encodeStateAsUpdate(null));
            assertThat(r.get("json").get("text").asText()).isEqualTo(s.reference().getText("text").toString());
            compared++;
        }
        System.out.printf("java edits in yjs: %d scenarios applied by yjs with equal state%n", compared);
    }
}
