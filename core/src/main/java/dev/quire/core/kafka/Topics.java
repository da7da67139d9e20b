package dev.quire.core.kafka;

import dev.quire.core.QuireException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the updates topic when it does not exist yet (with the configured partitions and replication, and a
 * {@code max.message.bytes} that holds the largest update allowed), and tells the largest update the topic takes.
 */
public final class Topics {
    private static final Logger LOG = LoggerFactory.getLogger(Topics.class);

    private Topics() {
    }

    /**
     * Makes sure the topic exists; returns the largest update a record of it may carry: the configured maximum, or
     * less when an existing topic accepts smaller messages (then a warning says how to raise it). Writing what the
     * topic refuses would be acknowledged to nobody and reset its document's clients in a loop, so the fronts refuse
     * such updates before applying them.
     */
    public static int ensure(KafkaSettings settings) {
        Properties p = settings.clientProperties();
        p.put("default.api.timeout.ms", "15000");
        p.put("request.timeout.ms", "10000");
        int wanted = KafkaSettings.recordLimitBytes(settings.maxUpdateBytes());
        try (Admin admin = Admin.create(p)) {
            if (!admin.listTopics().names().get(15, TimeUnit.SECONDS).contains(settings.topic())) {
                NewTopic t = new NewTopic(settings.topic(), settings.partitions(), (short) settings.replication())
                        .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(wanted)));
                try {
                    admin.createTopics(List.of(t)).all().get(15, TimeUnit.SECONDS);
                    return settings.maxUpdateBytes();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                    // created by another front or persister meanwhile: read what it got
                }
            }
            return maxUpdateOf(admin, settings, wanted);
        } catch (ExecutionException e) {
            throw new QuireException("cannot create or describe Kafka topic " + settings.topic() + " at " + settings.bootstrap()
                    + " (" + KafkaSettings.BOOTSTRAP.env() + "): " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new QuireException("Kafka at " + settings.bootstrap() + " did not answer within 15 s: check "
                    + KafkaSettings.BOOTSTRAP.env(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QuireException("interrupted while creating topic " + settings.topic(), e);
        }
    }

    private static int maxUpdateOf(Admin admin, KafkaSettings settings, int wanted)
            throws ExecutionException, InterruptedException, TimeoutException {
        ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, settings.topic());
        Config config = admin.describeConfigs(List.of(r)).all().get(15, TimeUnit.SECONDS).get(r);
        ConfigEntry entry = config == null ? null : config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
        if (entry == null || entry.value() == null) {
            return settings.maxUpdateBytes();
        }
        int topicMax = Integer.parseInt(entry.value());
        if (topicMax >= wanted) {
            return settings.maxUpdateBytes();
        }
        int max = Math.max(0, topicMax - KafkaSettings.RECORD_OVERHEAD_BYTES);
        LOG.warn("topic {} accepts messages of at most {} bytes ({}), so updates are limited to {} bytes instead of {} ({}); "
                + "to raise it: kafka-configs.sh --alter --entity-type topics --entity-name {} --add-config {}={}",
                settings.topic(), topicMax, TopicConfig.MAX_MESSAGE_BYTES_CONFIG, max, settings.maxUpdateBytes(),
                KafkaSettings.MAX_UPDATE_BYTES.env(), settings.topic(), TopicConfig.MAX_MESSAGE_BYTES_CONFIG, wanted);
        return max;
    }
}
