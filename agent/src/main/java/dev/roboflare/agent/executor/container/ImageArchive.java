package dev.roboflare.agent.executor.container;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roboflare.agent.executor.RejectedArtifactException;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Reads an image archive ({@code docker save}, or an OCI layout tar) before the engine sees it: it must be a
 * readable tar with a manifest, and the image id (sha256 of the image config) is computed from the bytes, so the
 * agent knows exactly which image the load produced.
 */
final class ImageArchive {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long KEEP_BYTES = 256 * 1024;

    private ImageArchive() {
    }

    /** The image id ("sha256:…") the archive holds; a corrupt or foreign archive is rejected. */
    static String imageId(Path archive) throws RejectedArtifactException, IOException {
        Map<String, String> sha = new HashMap<>();
        Map<String, byte[]> small = new HashMap<>();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive));
             TarArchiveInputStream tar = new TarArchiveInputStream(maybeGunzip(raw))) {
            TarArchiveEntry e;
            int entries = 0;
            while ((e = tar.getNextEntry()) != null) {
                entries++;
                if (!e.isFile()) {
                    continue;
                }
                String name = e.getName().startsWith("./") ? e.getName().substring(2) : e.getName();
                MessageDigest md = sha256();
                ByteArrayOutputStream keep = e.getSize() <= KEEP_BYTES ? new ByteArrayOutputStream() : null;
                byte[] buf = new byte[65536];
                int n;
                while ((n = tar.read(buf)) > 0) {
                    md.update(buf, 0, n);
                    if (keep != null) {
                        keep.write(buf, 0, n);
                    }
                }
                sha.put(name, HexFormat.of().formatHex(md.digest()));
                if (keep != null) {
                    small.put(name, keep.toByteArray());
                }
            }
            if (entries == 0) {
                throw reject("it is empty or not a tar file");
            }
        } catch (IOException | IllegalArgumentException ex) {
            throw reject("it cannot be read as a tar (" + ex.getMessage() + ")");
        }
        try {
            if (small.containsKey("manifest.json")) { // docker save (also written by newer engines beside index.json)
                JsonNode m = JSON.readTree(small.get("manifest.json"));
                String config = m.path(0).path("Config").asText(null);
                if (config == null || !sha.containsKey(config)) {
                    throw reject("its manifest.json names no image config that the archive contains");
                }
                return "sha256:" + sha.get(config);
            }
            if (small.containsKey("index.json")) { // OCI layout: index → image manifest → config digest
                JsonNode idx = JSON.readTree(small.get("index.json"));
                String manifestDigest = idx.path("manifests").path(0).path("digest").asText("");
                byte[] manifest = small.get("blobs/" + manifestDigest.replace(':', '/'));
                if (manifest == null) {
                    throw reject("its index.json names a manifest (" + manifestDigest + ") the archive does not hold");
                }
                String cfg = JSON.readTree(manifest).path("config").path("digest").asText("");
                if (!cfg.startsWith("sha256:")) {
                    throw reject("its OCI manifest names no sha256 image config");
                }
                return cfg;
            }
        } catch (IOException ex) {
            throw reject("its manifest is not JSON (" + ex.getMessage() + ")");
        }
        throw reject("it has neither manifest.json (docker save) nor index.json (OCI layout)");
    }

    private static InputStream maybeGunzip(InputStream in) throws IOException {
        in.mark(2);
        int a = in.read();
        int b = in.read();
        in.reset();
        return a == 0x1f && b == 0x8b ? new GzipCompressorInputStream(in) : in;
    }

    private static RejectedArtifactException reject(String why) {
        return new RejectedArtifactException("the container_image artifact is not an image archive (docker save or "
                + "OCI layout tar): " + why + "; nothing was changed and the running app is untouched");
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
