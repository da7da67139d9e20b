// Deletes a Kafka topic; run in source-file mode by run-latency.sh on exit, with Kafka's client from quire.jar:
//   java -cp cli/target/quire.jar benchmarks/tools/DeleteTopic.java <bootstrap> <topic>
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

public class DeleteTopic {
    public static void main(String[] args) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", args[0]))) {
            admin.deleteTopics(List.of(args[1])).all().get();
        }
    }
}
