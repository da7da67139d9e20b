package dev.quire.server.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quire.core.config.ConfigException;
import dev.quire.core.config.Env;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The deployment's prefix of Redis names: from the Kafka topic unless QUIRE_REDIS_PREFIX is set, checked at start. */
class RedisPrefixTest {
    private static RedisSettings settings(String... pairs) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return new RedisSettings(new Env(env));
    }

    @Test
    void theDefaultNamesTheDeploymentByItsTopic() {
        assertThat(settings().prefix()).isEqualTo("quire:quire.updates:");
        assertThat(settings("QUIRE_KAFKA_TOPIC", "acme.prod-updates_2").prefix()).isEqualTo("quire:acme.prod-updates_2:");
        String longest = "t".repeat(249); // Kafka's longest topic name still makes a valid prefix
        assertThat(settings("QUIRE_KAFKA_TOPIC", longest).prefix()).isEqualTo("quire:" + longest + ":");
    }

    @Test
    void theSettingOverridesTheTopic() {
        assertThat(settings("QUIRE_KAFKA_TOPIC", "a", "QUIRE_REDIS_PREFIX", "acme-prod:").prefix()).isEqualTo("acme-prod:");
        assertThat(settings("QUIRE_REDIS_PREFIX", " {tenant-7}/quire: ").prefix()).as("trimmed").isEqualTo("{tenant-7}/quire:");
        assertThat(settings("QUIRE_REDIS_PREFIX", "  ").prefix()).as("blank is the default").isEqualTo("quire:quire.updates:");
    }

    @ParameterizedTest
    @ValueSource(strings = {"two words:", "glob*:", "what?", "[x]:", "back\\slash", "tab\there", "caf\u00e9:", "quote\":"})
    void anInvalidPrefixStopsTheStartWithAMessageNamingTheSetting(String prefix) {
        assertThatThrownBy(() -> settings("QUIRE_REDIS_PREFIX", prefix)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("QUIRE_REDIS_PREFIX='" + prefix.trim() + "' is not a valid prefix of Redis names")
                .hasMessageContaining("A-Z a-z 0-9");
    }

    @Test
    void aPrefixLongerThan256CharactersIsRefused() {
        assertThatThrownBy(() -> settings("QUIRE_REDIS_PREFIX", "p".repeat(257))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("QUIRE_REDIS_PREFIX");
        assertThat(settings("QUIRE_REDIS_PREFIX", "p".repeat(256)).prefix()).hasSize(256);
    }
}
