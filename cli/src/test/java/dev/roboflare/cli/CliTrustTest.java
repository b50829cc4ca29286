package dev.roboflare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roboflare.protocol.AgentApi;
import dev.roboflare.protocol.ReleaseKeys;
import dev.roboflare.protocol.ReleaseStatement;
import dev.roboflare.protocol.WireJson;
import dev.roboflare.testkit.ControlPlaneProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * release keygen / release sign against the shipped control plane, robot rotate / revoke, and organisations with
 * their operator tokens (org create, token create / list / revoke).
 */
class CliTrustTest {
    @TempDir
    static Path work;
    static ControlPlaneProcess cp;
    static CliRun cli;

    @BeforeAll
    static void startControlPlane() throws Exception {
        cp = ControlPlaneProcess.start(work);
        cli = new CliRun(Map.of("ROBOFLARE_URL", cp.baseUrl(), "ROBOFLARE_TOKEN", cp.operatorToken()),
                Files.createDirectories(work.resolve("home")));
    }

    @AfterAll
    static void stop() throws Exception {
        cp.close();
    }

    @Test
    void aReleaseSignedOfflineReachesTheRobotWithAVerifiableStatement() throws Exception {
        Path key = work.resolve("release-key");
        assertThat(cli.run("release", "keygen", key.toString()).ok().out()).contains("release key ");
        assertThat(Files.getPosixFilePermissions(key)).isEqualTo(PosixFilePermissions.fromString("rw-------"));

        Path tarball = work.resolve("signed.tar.gz");
        Files.write(tarball, "pretend tarball".getBytes());
        String artifact = cli.run("artifact", "push", tarball.toString(), "--kind", "app_tarball", "--name",
                "signed-app", "--json").ok().json().path("id").asText();
        String release = cli.run("release", "create", "--artifact", artifact, "--semver", "3.0.0", "--manifest",
                "{\"entrypoint\": [\"bin/app\"]}", "--json").ok().json().path("id").asText();

        Path other = work.resolve("other.tar.gz");
        Files.write(other, "other bytes".getBytes());
        assertThat(cli.run("release", "sign", release, "--key", key.toString(), "--artifact-file", other.toString())
                .code()).isEqualTo(1); // the control plane holds other bytes than the ones in hand
        assertThat(cli.run("release", "sign", release, "--key", key.toString(), "--artifact-file", tarball.toString(),
                "--expires-in", "2d", "--min-agent-version", "0.1.0").ok().out()).contains("signed by key");

        String robot = cli.run("robot", "enroll", "signed-robot", "--json").ok().json().path("token").asText();
        cli.run("deploy", release, "--robot", "signed-robot").ok();
        AgentApi.Deployment d = new RobotSide(cp.baseUrl(), robot).dispatched().get(0);
        byte[] statement = Base64.getDecoder().decode(d.signature().statement());
        assertThat(ReleaseKeys.verify(ReleaseKeys.readPublic(Files.readString(Path.of(key + ".pub"))), statement,
                Base64.getDecoder().decode(d.signature().signature()))).isTrue();
        ReleaseStatement s = WireJson.lenient().readValue(statement, ReleaseStatement.class);
        assertThat(s.releaseId()).isEqualTo(release);
        assertThat(s.artifactSize()).isEqualTo(Files.size(tarball));
        assertThat(s.expiresAt()).isAfter(Instant.now().plusSeconds(86_400));
        assertThat(s.minAgentVersion()).isEqualTo("0.1.0");

        cli.run("robot", "rotate", "signed-robot").ok();
        assertThat(cli.run("robot", "revoke", "signed-robot").ok().out()).contains("revoked").doesNotContain("active");
    }

    @Test
    void anOrganisationWithAQuotaCannotPushPastItUntilTheAdminRaisesIt() throws Exception {
        cli.run("org", "create", "small-lab", "--quota", "1M").ok();
        String token = cli.run("token", "create", "small-ci", "--org", "small-lab", "--json").ok().json()
                .path("token").asText();
        CliRun small = new CliRun(Map.of("ROBOFLARE_URL", cp.baseUrl(), "ROBOFLARE_TOKEN", token),
                Files.createDirectories(work.resolve("small-home")));
        Path build = work.resolve("big-build.tar.gz");
        Files.write(build, new byte[700 * 1024]);
        small.run("artifact", "push", build.toString(), "--kind", "app_tarball", "--name", "one", "--no-progress").ok();
        CliRun.Result over = small.run("artifact", "push", build.toString(), "--kind", "app_tarball", "--name", "two",
                "--no-progress");
        assertThat(over.code()).isEqualTo(1);
        assertThat(over.err()).contains("413").contains("has used 700 KiB of its 1 MiB storage quota");
        assertThat(cli.run("org", "list", "--json").ok().json().toString())
                .contains("\"name\":\"small-lab\"").contains("\"quota_bytes\":1048576")
                .contains("\"used_bytes\":716800");

        assertThat(cli.run("org", "quota", "small-lab", "none").ok().out())
                .contains("organisation small-lab: quota none, 716800 bytes used");
        small.run("artifact", "push", build.toString(), "--kind", "app_tarball", "--name", "two", "--no-progress").ok();
        assertThat(cli.run("org", "quota", "small-lab", "1M").ok().out()).contains("quota 1048576 bytes");
        assertThat(small.run("artifact", "push", build.toString(), "--kind", "app_tarball", "--name", "three",
                "--no-progress").err()).contains("has used 1.4 MiB of its 1 MiB storage quota (0 bytes left)");
        assertThat(cli.run("org", "quota", "no-such-lab", "1G").err()).contains("404");
    }

    @Test
    void aGzippedTarballsStatementNamesItsUncompressedTarForDeltaDownloads() throws Exception {
        Path key = work.resolve("delta-key");
        cli.run("release", "keygen", key.toString()).ok();
        byte[] tar = new byte[300_000];
        new java.util.Random(7).nextBytes(tar);
        Path tarball = work.resolve("delta.tar.gz");
        try (var gz = new java.util.zip.GZIPOutputStream(Files.newOutputStream(tarball))) {
            gz.write(tar);
        }
        String artifact = cli.run("artifact", "push", tarball.toString(), "--kind", "app_tarball", "--name",
                "delta-app", "--json").ok().json().path("id").asText();
        String release = cli.run("release", "create", "--artifact", artifact, "--semver", "4.0.0", "--manifest",
                "{\"entrypoint\": [\"bin/app\"]}", "--json").ok().json().path("id").asText();

        String signed = cli.run("release", "sign", release, "--key", key.toString(), "--artifact-file",
                tarball.toString(), "--json").ok().out();

        byte[] statement = Base64.getDecoder().decode(WireJson.lenient().readTree(signed).path("statement").asText());
        ReleaseStatement s = WireJson.lenient().readValue(statement, ReleaseStatement.class);
        assertThat(s.contentSha256()).isEqualTo(java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(tar)));
        assertThat(s.contentSize()).isEqualTo(tar.length);
    }

    @Test
    void anOrganisationsTokensSeeOnlyItsRobotsAndARevokedTokenIsLockedOut() throws Exception {
        assertThat(cli.run("org", "create", "acme-lab").ok().out()).contains("organisation acme-lab created");
        com.fasterxml.jackson.databind.JsonNode ci = cli.run("token", "create", "acme-ci", "--org", "acme-lab",
                "--json").ok().json();
        assertThat(ci.path("org").asText()).isEqualTo("acme-lab");
        String wall = cli.run("token", "create", "acme-wall", "--org", "acme-lab", "--read-only").ok().out();
        String wallToken = wall.lines().filter(l -> l.startsWith("  ")).findFirst().orElseThrow().strip();
        CliRun acme = new CliRun(Map.of("ROBOFLARE_URL", cp.baseUrl(), "ROBOFLARE_TOKEN", ci.path("token").asText()),
                Files.createDirectories(work.resolve("acme-home")));
        CliRun acmeWall = new CliRun(Map.of("ROBOFLARE_URL", cp.baseUrl(), "ROBOFLARE_TOKEN", wallToken),
                Files.createDirectories(work.resolve("wall-home")));

        acme.run("robot", "enroll", "acme-arm-1").ok();
        assertThat(acme.run("robot", "list").ok().out()).contains("acme-arm-1");
        assertThat(acmeWall.run("robot", "list").ok().out()).contains("acme-arm-1");
        assertThat(cli.run("robot", "list").ok().out()).doesNotContain("acme-arm-1"); // the admin's is 'default'
        CliRun.Result readOnly = acmeWall.run("robot", "enroll", "acme-arm-2");
        assertThat(readOnly.code()).isEqualTo(1);
        assertThat(readOnly.err()).contains("403").contains("read-only");
        CliRun.Result notAdmin = acme.run("org", "create", "sneaky");
        assertThat(notAdmin.code()).isEqualTo(1);
        assertThat(notAdmin.err()).contains("403").contains("admin token");

        String list = cli.run("token", "list").ok().out();
        assertThat(list).contains(ci.path("token_id").asText(), "acme-wall", "read-only", "acme-lab")
                .doesNotContain(ci.path("token").asText()).doesNotContain(wallToken);
        assertThat(cli.run("token", "revoke", ci.path("token_id").asText()).ok().out()).contains("revoked");
        CliRun.Result locked = acme.run("robot", "list");
        assertThat(locked.code()).isEqualTo(1);
        assertThat(locked.err()).contains("401").contains("revoked");
        assertThat(cli.run("token", "list", "--json").ok().json().findValues("revoked_at").stream()
                .filter(v -> !v.isNull()).count()).isEqualTo(1);
    }
}
