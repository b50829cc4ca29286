package dev.roboflare.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roboflare.agent.gate.UpdateGate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The update gate's settings from the config file, as the Flex and OT-2 examples in packaging/ write them. */
class GateConfigTest {
    @TempDir
    Path dir;

    static UpdateGate.Config parse(Path conf) throws Exception {
        Main main = new Main();
        String[] args = {"--config", conf.toString()};
        Main.commandLine(main, args).parseArgs(args);
        return main.gateConfig();
    }

    @Test
    void theOpentronsExamplesTurnOnRobotServersRunStateAndTheUpdateLock() throws Exception {
        for (String robot : new String[] {"opentrons-flex", "opentrons-ot2"}) {
            UpdateGate.Config c = parse(Path.of("..", "packaging", "examples", robot + ".conf"));
            assertThat(c.busyUrl()).as(robot).isEqualTo("http://127.0.0.1:31950/runs");
            assertThat(c.busyStatuses()).containsExactlyInAnyOrder("running", "paused", "finishing",
                    "stop-requested", "awaiting-recovery", "blocked-by-open-door");
            assertThat(c.lockFile()).isEqualTo(Path.of("/run/roboflare/updates.lock"));
            assertThat(c.unknownWait()).isEqualTo(Duration.ofMinutes(5));
            assertThat(c.maxDefer()).isEqualTo(Duration.ofHours(72));
            assertThat(new UpdateGate(c).maxDeferWarning(java.time.Instant.now())).isNull();
        }
    }

    @Test
    void withoutMaxDeferADeploymentWaitsLongerThanAWeekendAndZeroMeansForever() throws Exception {
        Path conf = Files.writeString(dir.resolve("bare.conf"), "busy-url=http://127.0.0.1:31950/runs\n");
        assertThat(parse(conf).maxDefer()).isEqualTo(UpdateGate.Config.DEFAULT_MAX_DEFER)
                .isEqualTo(Duration.ofHours(72));
        assertThat(new UpdateGate(parse(Files.writeString(dir.resolve("forever.conf"), "max-defer=0s\n"))).maxDefer())
                .isNull();
    }

    @Test
    void aMaxDeferShorterThanTheLongestTimeOutsideTheWindowsIsWarnedAboutAtStart() throws Exception {
        Path conf = Files.writeString(dir.resolve("nights.conf"),
                "maintenance-window=Mon-Fri 22:00-06:00 America/New_York\nmax-defer=12h\n");
        assertThat(new UpdateGate(parse(conf)).maxDeferWarning(java.time.Instant.parse("2026-11-30T12:00:00Z")))
                .isEqualTo("--max-defer 12h is not longer than the longest time outside the maintenance windows (64h): "
                        + "a deployment made as a window closes fails before the next one opens. Set max-defer above "
                        + "it (or 0s)");
        Files.writeString(conf, "maintenance-window=Mon-Fri 22:00-06:00 America/New_York\n");
        assertThat(new UpdateGate(parse(conf)).maxDeferWarning(java.time.Instant.parse("2026-11-30T12:00:00Z")))
                .as("the default, 72h, outlasts the weekend's 64h").isNull();
        Files.writeString(conf, "maintenance-window=Mon-Fri 22:00-06:00 America/New_York\n"
                + "maintenance-window=Sat,Sun 00:00-00:00 America/New_York\nmax-defer=12h\n");
        assertThat(new UpdateGate(parse(conf)).maxDeferWarning(java.time.Instant.parse("2026-11-30T12:00:00Z")))
                .as("open all weekend: Monday 00:00 to 22:00 is the longest").contains("(22h)");
    }

    @Test
    void windowsRepeatAndEveryGateKeyIsAConfigKey() throws Exception {
        Path conf = dir.resolve("agent.conf");
        Files.writeString(conf, "maintenance-window=Mon-Fri 22:00-06:00 America/New_York\n"
                + "maintenance-window=Sat,Sun 00:00-00:00 UTC\nbusy-command=/usr/bin/lab-busy --quiet\n"
                + "max-defer=12h\nlock-file=none\nbusy-unknown-wait=0s\n");
        UpdateGate.Config c = parse(conf);
        assertThat(c.maintenanceWindows()).containsExactly("Mon-Fri 22:00-06:00 America/New_York",
                "Sat,Sun 00:00-00:00 UTC");
        assertThat(c.busyCommand()).isEqualTo("/usr/bin/lab-busy --quiet");
        assertThat(c.maxDefer()).isEqualTo(Duration.ofHours(12));
        assertThat(c.lockFile()).isNull();
        assertThat(new UpdateGate(c).maxDefer()).isEqualTo(Duration.ofHours(12));
    }
}
