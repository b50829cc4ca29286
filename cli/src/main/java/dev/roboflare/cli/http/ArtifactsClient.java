package dev.roboflare.cli.http;

import dev.roboflare.cli.CliException;
import dev.roboflare.protocol.ApiRoutes;
import dev.roboflare.protocol.ArtifactKind;
import dev.roboflare.protocol.OperatorApi;
import dev.roboflare.protocol.OperatorApi.Artifact;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.Request;

/** /api/artifacts: uploads streamed from a file with progress, lookups, and what a chunk index covers. */
public final class ArtifactsClient {
    private final JsonTransport t;

    ArtifactsClient(JsonTransport transport) {
        this.t = transport;
    }

    public Created<Artifact> upload(Path file, ArtifactKind kind, String name, ProgressBody.Listener progress) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new CliException("cannot read " + file + ": " + e.getMessage(), e);
        }
        HttpUrl url = t.url(ApiRoutes.ARTIFACTS).newBuilder().addQueryParameter("kind", kind.wire())
                .addQueryParameter("name", name).build();
        return t.created(new Request.Builder().url(url).post(new ProgressBody(file, size, progress)).build(),
                Artifact.class);
    }

    public Optional<Artifact> find(String id) {
        return t.find(t.url(ApiRoutes.ARTIFACT, id), Artifact.class);
    }

    /** What the artifact's chunk index covers; empty when it has none (or the control plane predates them). */
    public Optional<OperatorApi.ArtifactContent> content(String id) {
        return t.find(t.url(ApiRoutes.ARTIFACT_CONTENT, id), OperatorApi.ArtifactContent.class);
    }
}
