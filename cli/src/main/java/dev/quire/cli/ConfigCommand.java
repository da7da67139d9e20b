package dev.quire.cli;

import dev.quire.core.config.Setting;
import dev.quire.core.kafka.KafkaSettings;
import dev.quire.core.postgres.DatabaseSettings;
import dev.quire.persister.PersisterSettings;
import dev.quire.server.ServerSettings;
import dev.quire.server.redis.RedisSettings;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/**
 * {@code quire config}: every setting of every Quire process, from the {@link Setting} declarations themselves
 * (so the reference cannot drift from the code); README.md's configuration table is this output, checked by a test.
 */
@Command(name = "config", description = {"Print every QUIRE_* setting (variable, default, meaning) as a Markdown table, from the code."})
final class ConfigCommand implements Callable<Integer> {
    /** The classes that declare settings, in the order the table lists them. */
    static final List<Class<?>> SETTINGS = List.of(KafkaSettings.class, DatabaseSettings.class, PersisterSettings.class,
            ServerSettings.class, RedisSettings.class);

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintStream out = new PrintStream(((Quire) spec.root().userObject()).io().stdout(), true, StandardCharsets.UTF_8);
        out.print(markdown());
        return Quire.EXIT_OK;
    }

    /** The table: a header and one row per setting, plus the Kafka pass-through prefix. */
    static String markdown() {
        StringBuilder sb = new StringBuilder("| variable | default | meaning |\n|---|---|---|\n");
        for (Setting<?> s : settings()) {
            String def = s.isSecret() || s.defaultText().isEmpty() ? "" : "`" + s.defaultText() + "`";
            sb.append("| `").append(s.env()).append("` | ").append(def).append(" | ")
                    .append(s.doc().replace("|", "\\|")).append(s.isExpert() ? " (expert)" : "").append(" |\n");
            if (s == KafkaSettings.REPLICATION) {
                sb.append("| `").append(KafkaSettings.PROPERTY_PREFIX).append("*` |  | any Kafka client property: `")
                        .append(KafkaSettings.PROPERTY_PREFIX).append("SECURITY_PROTOCOL=SASL_SSL` sets `security.protocol` |\n");
            }
        }
        return sb.toString();
    }

    static List<Setting<?>> settings() {
        List<Setting<?>> all = new ArrayList<>();
        for (Class<?> c : SETTINGS) {
            for (Field f : c.getDeclaredFields()) { // declaration order (what every JDK returns, and what javac writes)
                if (Modifier.isStatic(f.getModifiers()) && Modifier.isPublic(f.getModifiers()) && f.getType() == Setting.class) {
                    try {
                        all.add((Setting<?>) f.get(null));
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        return all;
    }
}
