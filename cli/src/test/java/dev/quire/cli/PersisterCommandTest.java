package dev.quire.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quire.cli.QuireRunner.Result;
import dev.quire.core.config.Env;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code quire persister} refuses wrong settings before it connects to anything. */
@Timeout(30)
class PersisterCommandTest {

    @Test
    void aSettingOutOfRangeExitsWithCode2AndNamesTheVariable() {
        Result r = QuireRunner.runWithEnv(new Env(Map.of("QUIRE_SNAPSHOT_EVERY_UPDATES", "0")), "persister");

        assertThat(r.exitCode()).isEqualTo(Quire.EXIT_INPUT);
        assertThat(r.stderr()).startsWith("quire persister: QUIRE_SNAPSHOT_EVERY_UPDATES='0' is out of range")
                .doesNotContain("\tat ");
        assertThat(r.stderr().strip()).doesNotContain("\n");
    }

    @Test
    void aMalformedDurationExitsWithCode2() {
        Result r = QuireRunner.runWithEnv(new Env(Map.of("QUIRE_SNAPSHOT_INTERVAL", "soon")), "persister");

        assertThat(r.exitCode()).isEqualTo(Quire.EXIT_INPUT);
        assertThat(r.stderr()).contains("QUIRE_SNAPSHOT_INTERVAL='soon' is not valid");
    }

    @Test
    void helpNamesTheEnvironment() {
        Result r = QuireRunner.run("persister", "--help");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("Usage: quire persister", "QUIRE_", "SIGTERM");
    }
}
