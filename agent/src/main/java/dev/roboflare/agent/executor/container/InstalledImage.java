package dev.roboflare.agent.executor.container;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roboflare.agent.files.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * STATE/releases/&lt;release id&gt;/image.json: which image a container_image release is, written once the image
 * is loaded (or pulled) and tagged. Its presence marks the release as a container; the launcher reads it to create
 * the container, with the deployment that installed the release as the container's label.
 *
 * @param imageId      the engine's image id (sha256 of the image config)
 * @param tag          roboflare/app:&lt;semver&gt;
 * @param source       "archive" or the pinned reference it was pulled from
 * @param deploymentId the deployment that installed the release
 */
public record InstalledImage(String imageId, String tag, String source, String deploymentId) {
    public static final String FILE = "image.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    public static boolean isContainerRelease(Path releaseDir) {
        return releaseDir != null && Files.isRegularFile(releaseDir.resolve(FILE));
    }

    public static InstalledImage read(Path releaseDir) throws IOException {
        return JSON.readValue(releaseDir.resolve(FILE).toFile(), InstalledImage.class);
    }

    void write(Path dir) throws IOException {
        AtomicFiles.write(dir.resolve(FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
    }
}
