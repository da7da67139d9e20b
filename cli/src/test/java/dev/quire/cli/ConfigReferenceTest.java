package dev.quire.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quire.core.config.Setting;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** README.md's configuration table is what {@code quire config} prints from the code, so it cannot drift. */
class ConfigReferenceTest {
    private static final String BEGIN = "<!-- quire config: begin";
    private static final String END = "<!-- quire config: end -->";

    @Test
    void readmeTableIsTheGeneratedOne() throws Exception {
        String readme = Files.readString(Path.of(System.getProperty("quire.root", ".."), "README.md"));
        int begin = readme.indexOf('\n', readme.indexOf(BEGIN)) + 1;
        String table = readme.substring(begin, readme.indexOf(END));
        assertThat(table).as("README.md's configuration table: regenerate it with ./quire config").isEqualTo(ConfigCommand.markdown());
    }

    @Test
    void everySettingIsListedOnceAndTheCommandPrintsIt() {
        assertThat(ConfigCommand.settings()).extracting(Setting::env).doesNotHaveDuplicates().hasSizeGreaterThan(30)
                .contains("QUIRE_KAFKA_BOOTSTRAP", "QUIRE_DATABASE_URL", "QUIRE_SERVER_PORT", "QUIRE_REDIS_URL", "QUIRE_PERSISTER_GROUP");
        QuireRunner.Result r = QuireRunner.run("config");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo(ConfigCommand.markdown());
    }
}
