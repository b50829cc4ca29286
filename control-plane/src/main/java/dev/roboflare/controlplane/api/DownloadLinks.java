package dev.roboflare.controlplane.api;

import dev.roboflare.controlplane.artifacts.ArtifactStore;
import dev.roboflare.controlplane.auth.DownloadSigner;
import dev.roboflare.protocol.ApiRoutes;
import dev.roboflare.protocol.OperatorApi.Artifact;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

/**
 * Absolute, signed, expiring artifact URLs: /api/artifacts/{id}/download?expires=..&sig=.., or the store's own
 * presigned URL when the bytes live in S3 (robots then download straight from the bucket).
 */
final class DownloadLinks {
    private final DownloadSigner signer;
    private final ArtifactStore store;
    private final String publicUrl;
    private final Duration ttl;
    private final Clock clock;

    DownloadLinks(DownloadSigner signer, ArtifactStore store, String publicUrl, Duration ttl, Clock clock) {
        this.signer = signer;
        this.store = store;
        this.publicUrl = publicUrl == null ? null : publicUrl.replaceAll("/+$", "");
        this.ttl = ttl;
        this.clock = clock;
    }

    String urlFor(Context ctx, Artifact artifact) {
        String direct = store.directDownloadUrl(artifact.sha256());
        return direct != null ? direct : signedUrl(ctx, artifact.id());
    }

    /** The artifact's chunks_url (delta downloads): always served by the control plane, signed like a download. */
    String chunksUrlFor(Context ctx, Artifact artifact) {
        long expires = clock.instant().plus(ttl).getEpochSecond();
        return baseUrl(ctx) + ApiRoutes.path(ApiRoutes.ARTIFACT_CHUNKS, artifact.id()) + "?expires=" + expires
                + "&sig=" + signer.sign(ChunkRoutes.signedName(artifact.id()), expires);
    }

    private String signedUrl(Context ctx, String artifactId) {
        long expires = clock.instant().plus(ttl).getEpochSecond();
        return baseUrl(ctx) + "/api/artifacts/" + URLEncoder.encode(artifactId, StandardCharsets.UTF_8)
                + "/download?expires=" + expires + "&sig=" + signer.sign(artifactId, expires);
    }

    /** --public-url wins; otherwise the address the robot itself used to reach us. */
    private String baseUrl(Context ctx) {
        if (publicUrl != null) {
            return publicUrl;
        }
        String host = ctx.header("Host");
        if (host == null || host.isBlank()) {
            host = ctx.req().getServerName() + ":" + ctx.req().getServerPort();
        }
        return ctx.scheme() + "://" + host;
    }
}
