package dev.roboflare.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What the release key vouches for: exactly these artifact bytes (sha256 and size, kind), this release (id and
 * semver), this manifest (how the agent runs it; {@link #manifestSha256}), until {@code expiresAt}, and only for
 * agents of at least {@code minAgentVersion} (null: any). {@code type} is {@link #TYPE}, so a signature made for
 * anything else never verifies as a release statement. {@code contentSha256} and {@code contentSize} (nullable)
 * are those of the uncompressed tar inside a gzipped app tarball: a delta download rebuilds that stream, not the
 * gzip bytes, so this is what a delta install is checked against (see {@link ChunkIndex}).
 */
public record ReleaseStatement(String type, String releaseId, String semver, ArtifactKind kind, String artifactSha256,
                               long artifactSize, String manifestSha256, Instant issuedAt, Instant expiresAt,
                               String minAgentVersion, String contentSha256, Long contentSize) {
    public static final String TYPE = "roboflare-release-statement/v1";

    /** Without the uncompressed content's digest (statements made before delta downloads). */
    public ReleaseStatement(String type, String releaseId, String semver, ArtifactKind kind, String artifactSha256,
                            long artifactSize, String manifestSha256, Instant issuedAt, Instant expiresAt,
                            String minAgentVersion) {
        this(type, releaseId, semver, kind, artifactSha256, artifactSize, manifestSha256, issuedAt, expiresAt,
                minAgentVersion, null, null);
    }

    /**
     * SHA-256 (hex) of the manifest in a canonical form: object keys sorted, no whitespace, strings and numbers as
     * Jackson writes them. Both the signer and the agent compute it from the parsed manifest.
     */
    public static String manifestSha256(JsonNode manifest) {
        StringBuilder sb = new StringBuilder();
        canonical(manifest, sb);
        return Sha256.hex(sb.toString());
    }

    private static void canonical(JsonNode n, StringBuilder sb) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            sb.append("null");
        } else if (n.isObject()) {
            List<String> names = new ArrayList<>();
            n.fieldNames().forEachRemaining(names::add);
            Collections.sort(names);
            sb.append('{');
            for (int i = 0; i < names.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(com.fasterxml.jackson.databind.node.TextNode.valueOf(names.get(i)).toString()).append(':');
                canonical(n.get(names.get(i)), sb);
            }
            sb.append('}');
        } else if (n.isArray()) {
            sb.append('[');
            for (int i = 0; i < n.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                canonical(n.get(i), sb);
            }
            sb.append(']');
        } else {
            sb.append(n.toString());
        }
    }
}
