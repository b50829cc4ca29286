package dev.roboflare.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roboflare.protocol.OperatorApi;
import dev.roboflare.testkit.ControlPlaneProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped control plane serving HTTPS with a certificate from a CA made here, and the shipped agent trusting
 * only that CA (--ca-bundle) or only that certificate (--pin-sha256): it polls. With the wrong CA or the wrong pin
 * it refuses the connection and its log line says what was wrong and what to check.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentTlsTest {
    @TempDir
    static Path work;

    TestCertificates certs;
    ControlPlaneProcess cp;
    OperatorClient operator;

    @BeforeAll
    void start() throws Exception {
        certs = TestCertificates.create(work.resolve("tls"));
        cp = ControlPlaneProcess.start(work, List.of("--tls-keystore", certs.keyStore.toString(),
                "--tls-keystore-password-file", certs.passwordFile.toString()), "https", certs.client());
        operator = new OperatorClient(cp.baseUrl(), cp.operatorToken(), certs.client());
    }

    @AfterAll
    void stop() throws Exception {
        cp.close();
    }

    @Test
    void withTheCaBundleTheAgentPollsAndWithAnotherCaItRefusesAndSaysWhichBundle() throws Exception {
        Path wrongCa = TestCertificates.otherCa(work.resolve("other-ca"));
        try (Agent good = agent("bundle-ok", List.of("--ca-bundle", certs.caPem.toString()));
             Agent bad = agent("bundle-wrong", List.of("--ca-bundle", wrongCa.toString()))) {
            good.awaitSeen();
            bad.process.awaitLog("outcome=tls-refused", Duration.ofSeconds(60));
            String line = bad.process.logText().lines().filter(l -> l.contains("outcome=tls-refused"))
                    .findFirst().orElseThrow();
            assertThat(line).startsWith("<3>").contains("--ca-bundle " + wrongCa)
                    .contains("does not hold the CA that signed it").contains("openssl s_client");
            assertThat(operator.robot(bad.robot.id()).lastSeenAt()).isNull();
            assertThat(good.process.logText()).doesNotContain("tls-refused").doesNotContain("unreachable");
        }
    }

    @Test
    void withThePinTheAgentPollsAndWithAnotherPinItRefusesAndNamesTheFingerprintItGot() throws Exception {
        String pin = certs.serverFingerprint();
        String wrongPin = "ab".repeat(32);
        try (Agent good = agent("pin-ok", List.of("--pin-sha256", pin));
             Agent bad = agent("pin-wrong", List.of("--pin-sha256", wrongPin))) {
            good.awaitSeen();
            bad.process.awaitLog("outcome=tls-refused", Duration.ofSeconds(60));
            String line = bad.process.logText().lines().filter(l -> l.contains("outcome=tls-refused"))
                    .findFirst().orElseThrow();
            assertThat(line).contains("has SHA-256 " + pin + ", not the pinned " + wrongPin)
                    .contains("if the control plane's certificate was renewed");
            assertThat(operator.robot(bad.robot.id()).lastSeenAt()).isNull();
        }
    }

    private Agent agent(String name, List<String> trust) throws Exception {
        OperatorApi.RobotCredentials robot = operator.enrollRobot(name);
        Path dir = Files.createDirectories(work.resolve(name));
        AgentProcess p = AgentProcess.start(cp.baseUrl(), AgentProcess.writeToken(dir, robot.token()),
                dir.resolve("state"), dir.resolve("agent.log"), Map.of(), trust);
        return new Agent(robot, p);
    }

    private final class Agent implements AutoCloseable {
        final OperatorApi.RobotCredentials robot;
        final AgentProcess process;

        Agent(OperatorApi.RobotCredentials robot, AgentProcess process) {
            this.robot = robot;
            this.process = process;
        }

        /** The control plane saw this robot poll: the TLS connection was made and the token accepted. */
        void awaitSeen() throws Exception {
            Instant deadline = Instant.now().plusSeconds(60);
            while (operator.robot(robot.id()).lastSeenAt() == null) {
                if (Instant.now().isAfter(deadline) || !process.isAlive()) {
                    throw new AssertionError("robot " + robot.name() + " never polled:\n" + process.logText());
                }
                Thread.sleep(200);
            }
        }

        @Override
        public void close() throws Exception {
            process.close();
        }
    }
}
