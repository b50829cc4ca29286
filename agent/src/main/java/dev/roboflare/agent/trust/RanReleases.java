package dev.roboflare.agent.trust;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * STATE/trust/ran-releases: the id of every release this robot applied, one per line, appended and fsynced.
 * A deployment of one of these ids is a rollback to a release the robot ran before, so the version floor lets it
 * through (every other check still applies).
 */
public final class RanReleases {
    private final Path file;

    public RanReleases(Path stateDir) {
        this.file = stateDir.resolve("trust").resolve("ran-releases");
    }

    public Set<String> load() throws IOException {
        Set<String> ids = new HashSet<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    ids.add(line.strip());
                }
            }
        }
        return ids;
    }

    public void remember(String releaseId) throws IOException {
        if (releaseId == null || load().contains(releaseId)) {
            return;
        }
        Files.createDirectories(file.getParent());
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ch.write(java.nio.ByteBuffer.wrap((releaseId + "\n").getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
    }
}
