package dev.roboflare.cli.commands;

import dev.roboflare.protocol.Sha256;
import dev.roboflare.cli.CliException;
import dev.roboflare.protocol.OperatorApi;
import dev.roboflare.protocol.ReleaseKeys;
import dev.roboflare.protocol.ReleaseStatement;
import dev.roboflare.protocol.SignedStatement;
import dev.roboflare.cli.http.ControlPlaneClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code release keygen} and {@code release sign}: the offline Ed25519 release key (the control plane never sees it). */
final class ReleaseSigning {
    private ReleaseSigning() {
    }

    @Command(name = "keygen", mixinStandardHelpOptions = true,
            description = "Create an Ed25519 release key: FILE (private, mode 0600; keep it offline) and FILE.pub "
                    + "(give it to the agents as --trusted-key).")
    static final class Keygen extends OperatorCommand {
        @Parameters(paramLabel = "FILE", description = "where the private key goes, e.g. release-key")
        Path file;

        @Override
        public Integer call() {
            Path pub = Path.of(file + ".pub");
            if (Files.exists(file) || Files.exists(pub)) {
                throw new CliException(file + " or " + pub + " already exists; choose another name");
            }
            KeyPair kp = ReleaseKeys.generate();
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, ReleaseKeys.privatePem(kp.getPrivate()));
                Files.writeString(pub, ReleaseKeys.publicPem(kp.getPublic()));
            } catch (IOException e) {
                throw new CliException("cannot write the key: " + e.getMessage(), e);
            }
            out().println("release key " + ReleaseKeys.keyId(kp.getPublic()) + ": private " + file + " (0600), public "
                    + pub);
            return 0;
        }
    }

    @Command(name = "sign", mixinStandardHelpOptions = true,
            description = "Sign a release statement {artifact sha256, size, kind, semver, release id, manifest, "
                    + "expires_at, min_agent_version; for a gzipped app tarball also the content_sha256 and "
                    + "content_size of its tar, which delta downloads rebuild} with an offline key and store it on "
                    + "the control plane.")
    static final class Sign extends OperatorCommand {
        @Parameters(paramLabel = "RELEASE", description = "release id, ARTIFACT_NAME@SEMVER or a unique semver")
        String release;

        @Option(names = "--key", required = true, paramLabel = "FILE", description = "private key from 'release keygen'")
        Path key;

        @Option(names = "--expires-in", defaultValue = "30d", paramLabel = "DURATION",
                description = "how long agents accept the statement: 12h, 30d, or ISO-8601. Default: ${DEFAULT-VALUE}")
        String expiresIn;

        @Option(names = "--min-agent-version", paramLabel = "SEMVER", description = "agents older than this refuse it")
        String minAgentVersion;

        @Option(names = "--artifact-file", paramLabel = "FILE", description = "the artifact's bytes as built: the "
                + "statement is then made from their own SHA-256 and size, and signing stops if the control plane "
                + "holds something else")
        Path artifactFile;

        @Option(names = "--json", description = "print the signed statement as JSON")
        boolean json;

        @Override
        public Integer call() {
            PrivateKey priv;
            PublicKey pub;
            try {
                priv = ReleaseKeys.readPrivate(Files.readString(key));
                pub = ReleaseKeys.readPublic(Files.readString(Path.of(key + ".pub")));
            } catch (IOException | IllegalArgumentException e) {
                throw new CliException("cannot read the release key " + key + " and " + key + ".pub: "
                        + e.getMessage(), e);
            }
            OperatorApi.Release r = lookup().release(release);
            OperatorApi.Artifact a = client().artifacts().find(r.artifactId()).orElseThrow(() ->
                    new CliException("artifact " + r.artifactId() + " of release " + r.id() + " is missing"));
            if (artifactFile != null) {
                String[] measured = measure(artifactFile, false);
                if (!measured[0].equals(a.sha256()) || Long.parseLong(measured[1]) != a.size()) {
                    throw new CliException("the control plane's artifact " + a.id() + " (sha256 " + a.sha256() + ", "
                            + a.size() + " bytes) is not " + artifactFile + " (sha256 " + measured[0] + ", "
                            + measured[1] + " bytes); not signing");
                }
            }
            // A delta download rebuilds a gzipped tarball's tar stream: sign its digest too, or agents with
            // --trusted-key download such a release whole.
            OperatorApi.ArtifactContent content = client().artifacts().content(a.id())
                    .filter(c -> "gunzipped".equals(c.over())).orElse(null);
            if (content != null && artifactFile != null) {
                String[] measured = measure(artifactFile, true);
                if (!measured[0].equals(content.contentSha256())
                        || Long.parseLong(measured[1]) != content.contentSize()) {
                    throw new CliException("the control plane's chunk index of artifact " + a.id() + " names tar "
                            + "content sha256 " + content.contentSha256() + " (" + content.contentSize() + " bytes), but "
                            + artifactFile + " uncompresses to sha256 " + measured[0] + " (" + measured[1]
                            + " bytes); not signing");
                }
            }
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            ReleaseStatement s = new ReleaseStatement(ReleaseStatement.TYPE, r.id(), r.semver(), a.kind(), a.sha256(),
                    a.size(), ReleaseStatement.manifestSha256(r.manifestJson()), now, now.plus(duration(expiresIn)),
                    minAgentVersion, content == null ? null : content.contentSha256(),
                    content == null ? null : content.contentSize());
            byte[] bytes;
            try {
                bytes = ControlPlaneClient.JSON.writeValueAsBytes(s);
            } catch (IOException e) {
                throw new IllegalStateException("a statement always serializes", e);
            }
            SignedStatement signed = new SignedStatement(Base64.getEncoder().encodeToString(bytes),
                    Base64.getEncoder().encodeToString(ReleaseKeys.sign(priv, bytes)), ReleaseKeys.keyId(pub));
            client().releases().addSignature(r.id(), signed);
            if (json) {
                printJson(signed);
            } else {
                out().println("release " + r.semver() + " (" + r.id() + ") signed by key " + signed.keyId()
                        + ", valid until " + s.expiresAt());
            }
            return 0;
        }

        static Duration duration(String text) {
            try {
                if (text.startsWith("P") || text.startsWith("p")) {
                    return Duration.parse(text);
                }
                long n = Long.parseLong(text.substring(0, text.length() - 1));
                return switch (text.charAt(text.length() - 1)) {
                    case 'm' -> Duration.ofMinutes(n);
                    case 'h' -> Duration.ofHours(n);
                    case 'd' -> Duration.ofDays(n);
                    default -> throw new IllegalArgumentException(text);
                };
            } catch (RuntimeException e) {
                throw new CliException("--expires-in '" + text + "' is not a duration such as 12h, 30d or P30D", e);
            }
        }

        /** SHA-256 and size of the file's bytes, or of what they uncompress to ({@code gunzip}). */
        private static String[] measure(Path file, boolean gunzip) {
            try (InputStream raw = Files.newInputStream(file);
                 InputStream in = gunzip ? new java.util.zip.GZIPInputStream(raw, 1 << 16) : raw) {
                MessageDigest md = Sha256.newDigest();
                byte[] buf = new byte[1 << 16];
                long size = 0;
                for (int n; (n = in.read(buf)) > 0; ) {
                    md.update(buf, 0, n);
                    size += n;
                }
                return new String[] {Sha256.hex(md), Long.toString(size)};
            } catch (IOException e) {
                throw new CliException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
    }
}
