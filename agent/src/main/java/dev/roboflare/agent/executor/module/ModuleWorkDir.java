package dev.roboflare.agent.executor.module;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roboflare.agent.executor.RejectedArtifactException;
import dev.roboflare.agent.executor.tarball.TarballExtractor;
import dev.roboflare.agent.files.AtomicFiles;
import dev.roboflare.agent.files.FileTrees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The file tree an update module works in (Update Module protocol v3 "file API"): {@code version},
 * {@code current_artifact_name}, {@code current_artifact_group}, {@code current_device_type},
 * {@code header/artifact_name}, {@code header/payload_type}, {@code header/meta-data}, {@code files/} (the
 * payload, flat) and {@code tmp/} (the module's own). One per deployment, STATE/modules/&lt;deployment id&gt;/,
 * kept until Cleanup. The agent's own notes are dot files beside the module's: the answers to the queries
 * ({@value #ANSWERS}) and that ArtifactInstall was started ({@value #INSTALL_STARTED}).
 */
final class ModuleWorkDir {
    static final String ANSWERS = ".roboflare-answers.json";
    static final String INSTALL_STARTED = ".roboflare-install-started";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;

    ModuleWorkDir(Path dir) {
        this.dir = dir;
    }

    Path path() {
        return dir;
    }

    boolean exists() {
        return Files.isDirectory(dir);
    }

    /** Lays out everything but the payload (enough for the queries). */
    void layOut(String artifactName, String payloadType, JsonNode metaData, String currentName, String deviceType)
            throws IOException {
        Files.createDirectories(dir.resolve("header"));
        Files.createDirectories(dir.resolve("tmp"));
        Files.createDirectories(dir.resolve("files"));
        write("version", "3\n");
        write("current_artifact_name", currentName + "\n");
        write("current_artifact_group", "\n");
        write("current_device_type", deviceType + "\n");
        write("header/artifact_name", artifactName + "\n");
        write("header/payload_type", payloadType + "\n");
        write("header/meta-data", metaData == null ? "{}" : JSON.writeValueAsString(metaData));
    }

    /**
     * The archive's regular files, flat in files/ (extracted with the tarball rules first: nothing outside, no
     * devices). Two files with the same name are refused: flat, one would silently replace the other.
     */
    void fillPayload(Path archive) throws RejectedArtifactException, IOException {
        Path staging = dir.resolve(".payload");
        FileTrees.deleteTree(staging);
        FileTrees.deleteTree(dir.resolve("files"));
        Files.createDirectories(dir.resolve("files"));
        try {
            new TarballExtractor().extract(archive, staging);
            List<Path> regular;
            try (Stream<Path> s = Files.walk(staging)) {
                regular = s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
            }
            if (regular.isEmpty()) {
                throw new RejectedArtifactException("the mcu_firmware artifact holds no files; an update module "
                        + "needs its payload in a tar or tar.gz");
            }
            Map<String, Path> seen = new HashMap<>();
            for (Path p : regular) {
                String name = p.getFileName().toString();
                Path other = seen.put(name, p);
                if (other != null) {
                    throw new RejectedArtifactException("the mcu_firmware artifact holds two files named '" + name
                            + "' (" + staging.relativize(other) + ", " + staging.relativize(p) + "); the payload is "
                            + "laid out flat, so names must be unique");
                }
                Files.move(p, dir.resolve("files").resolve(name));
            }
        } finally {
            FileTrees.deleteTree(staging);
        }
    }

    /** Persisted (fsynced) right before ArtifactInstall runs, so a restarted agent knows it may be half done. */
    void markInstallStarted() throws IOException {
        AtomicFiles.write(dir.resolve(INSTALL_STARTED), new byte[0]);
    }

    boolean installStarted() {
        return Files.exists(dir.resolve(INSTALL_STARTED));
    }

    void saveAnswers(boolean supportsRollback, String needsReboot) throws IOException {
        AtomicFiles.write(dir.resolve(ANSWERS), JSON.writeValueAsBytes(Map.of("supports_rollback", supportsRollback,
                "needs_artifact_reboot", needsReboot)));
    }

    /** What SupportsRollback answered at check (false when unknown). */
    boolean supportsRollback() {
        try {
            return JSON.readTree(dir.resolve(ANSWERS).toFile()).path("supports_rollback").asBoolean(false);
        } catch (IOException e) {
            return false;
        }
    }

    void delete() throws IOException {
        FileTrees.deleteTree(dir);
    }

    private void write(String name, String content) throws IOException {
        Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }
}
