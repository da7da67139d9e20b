import dev.quire.yjs.model.YDoc;
import java.util.ArrayList;
import java.util.List;

/**
 * The latency benchmark's edit pattern in one process: one client appends {@code "<seq> "} at the end of a text, and
 * its updates are applied to a fresh document the way a front applies them (with an update listener, so every
 * transaction's update is encoded). With {@code twice}, each update is applied a second time, as a front does with the
 * Kafka copy of an update the Redis relay already brought. Prints the time per update over the last quarter, where the
 * run is longest. Run from the repository root after building yjs/:
 * <pre>java -cp yjs/target/classes benchmarks/tools/AppendProbe.java 48000 [twice]</pre>
 */
public class AppendProbe {
    public static void main(String[] args) {
        int n = Integer.parseInt(args.length > 0 ? args[0] : "12000");
        boolean twice = args.length > 1 && args[1].equals("twice");
        YDoc writer = new YDoc(7, true);
        List<byte[]> updates = new ArrayList<>();
        writer.onUpdate((u, tr) -> updates.add(u));
        for (int i = 0; i < n; i++) {
            writer.getText("t").insert(writer.getText("t").length(), i + " ");
        }
        for (int round = 0; round < 3; round++) {
            YDoc front = new YDoc(0, true);
            long[] encoded = {0};
            front.onUpdate((u, tr) -> encoded[0] += u.length);
            long start = System.nanoTime();
            long lastQuarter = 0;
            for (int i = 0; i < updates.size(); i++) {
                if (i == updates.size() * 3 / 4) {
                    lastQuarter = System.nanoTime();
                }
                front.applyUpdate(updates.get(i));
                if (twice) {
                    front.applyUpdate(updates.get(i));
                }
            }
            long end = System.nanoTime();
            System.out.printf("round %d: %d updates%s in %.1f ms (last quarter %.1f us per update), %d bytes of updates encoded%n",
                    round, n, twice ? " applied twice" : "", (end - start) / 1e6, (end - lastQuarter) / 1e3 / (n / 4.0), encoded[0]);
        }
    }
}
