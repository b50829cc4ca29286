package dev.roboflare.agent.executor.container;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roboflare.agent.executor.RejectedArtifactException;
import dev.roboflare.protocol.Sha256;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Reads an image archive ({@code docker save}, or an OCI layout tar) before the engine sees it: it must be a
 * readable tar with a manifest, every layer must match its digest (a docker save layer its config's diff_id, an OCI
 * blob its name), and the image id (sha256 of the image config) is computed from the bytes, so the agent knows
 * exactly which image the load produced.
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
        Map<String, String> links = new HashMap<>();
        Set<String> gzipped = new HashSet<>();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive));
             TarArchiveInputStream tar = new TarArchiveInputStream(maybeGunzip(raw))) {
            TarArchiveEntry e;
            int entries = 0;
            while ((e = tar.getNextEntry()) != null) {
                entries++;
                String name = e.getName().startsWith("./") ? e.getName().substring(2) : e.getName();
                if (e.isSymbolicLink()) { // older docker save: <id>/layer.tar -> ../<sha>.tar
                    links.put(name, Path.of(name).resolveSibling(e.getLinkName()).normalize().toString());
                }
                if (!e.isFile()) {
                    continue;
                }
                MessageDigest md = Sha256.newDigest();
                ByteArrayOutputStream keep = e.getSize() <= KEEP_BYTES ? new ByteArrayOutputStream() : null;
                byte[] buf = new byte[65536];
                int n;
                boolean first = true;
                while ((n = tar.read(buf)) > 0) {
                    if (first && n >= 2 && (buf[0] & 0xff) == 0x1f && (buf[1] & 0xff) == 0x8b) {
                        gzipped.add(name);
                    }
                    first = false;
                    md.update(buf, 0, n);
                    if (keep != null) {
                        keep.write(buf, 0, n);
                    }
                }
                sha.put(name, Sha256.hex(md));
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
        for (Map.Entry<String, String> blob : sha.entrySet()) { // OCI blobs are named by their own digest
            if (blob.getKey().startsWith("blobs/sha256/")
                    && !blob.getKey().substring("blobs/sha256/".length()).equals(blob.getValue())) {
                throw reject("its blob " + blob.getKey() + " has sha256 " + blob.getValue() + " (changed or damaged)");
            }
        }
        try {
            if (small.containsKey("manifest.json")) { // docker save (also written by newer engines beside index.json)
                JsonNode m = JSON.readTree(small.get("manifest.json"));
                String config = m.path(0).path("Config").asText(null);
                if (config == null || !sha.containsKey(config)) {
                    throw reject("its manifest.json names no image config that the archive contains");
                }
                checkLayers(m.path(0).path("Layers"), small.get(config), sha, links, gzipped);
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

    /**
     * docker save: layer i must hash to the config's diff_ids[i] (the digest of the uncompressed layer), so a changed
     * layer is refused here rather than by the engine. A gzip-compressed layer is not unpacked to be checked.
     */
    private static void checkLayers(JsonNode layers, byte[] config, Map<String, String> sha, Map<String, String> links,
                                    Set<String> gzipped) throws RejectedArtifactException, IOException {
        if (config == null) {
            return; // a config over KEEP_BYTES was hashed but not kept: its diff_ids cannot be read
        }
        JsonNode diffIds = JSON.readTree(config).path("rootfs").path("diff_ids");
        if (!layers.isArray() || layers.size() != diffIds.size()) {
            throw reject("its manifest.json lists " + layers.size() + " layers but its config " + diffIds.size()
                    + " diff_ids");
        }
        for (int i = 0; i < layers.size(); i++) {
            String path = links.getOrDefault(layers.get(i).asText(), layers.get(i).asText());
            String actual = sha.get(path);
            if (actual == null) {
                throw reject("its layer " + layers.get(i).asText() + " is not in the archive");
            }
            if (!gzipped.contains(path) && !diffIds.get(i).asText().equals("sha256:" + actual)) {
                throw reject("its layer " + layers.get(i).asText() + " has sha256 " + actual + ", not the "
                        + diffIds.get(i).asText() + " its image config lists (changed or damaged)");
            }
        }
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
}
