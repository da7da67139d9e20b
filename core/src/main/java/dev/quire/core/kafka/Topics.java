package dev.quire.core.kafka;

import dev.quire.core.QuireException;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the updates topic when it does not exist yet (with the configured partitions and replication). */
public final class Topics {
    private Topics() {
    }

    public static void ensure(KafkaSettings settings) {
        Properties p = settings.clientProperties();
        p.put("default.api.timeout.ms", "15000");
        p.put("request.timeout.ms", "10000");
        try (Admin admin = Admin.create(p)) {
            if (admin.listTopics().names().get(15, TimeUnit.SECONDS).contains(settings.topic())) {
                return;
            }
            NewTopic t = new NewTopic(settings.topic(), settings.partitions(), (short) settings.replication());
            admin.createTopics(List.of(t)).all().get(15, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new QuireException("cannot create Kafka topic " + settings.topic() + " at " + settings.bootstrap()
                        + " (" + KafkaSettings.BOOTSTRAP.env() + "): " + e.getCause(), e.getCause());
            }
        } catch (TimeoutException e) {
            throw new QuireException("Kafka at " + settings.bootstrap() + " did not answer within 15 s: check "
                    + KafkaSettings.BOOTSTRAP.env(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QuireException("interrupted while creating topic " + settings.topic(), e);
        }
    }
}
