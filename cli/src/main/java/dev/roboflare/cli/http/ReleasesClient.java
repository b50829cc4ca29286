package dev.roboflare.cli.http;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.roboflare.protocol.ApiRoutes;
import dev.roboflare.protocol.OperatorApi.CreateRelease;
import dev.roboflare.protocol.OperatorApi.Release;
import dev.roboflare.protocol.SignedStatement;
import java.util.List;
import java.util.Optional;

/** /api/releases and their signatures. */
public final class ReleasesClient {
    private final JsonTransport t;

    ReleasesClient(JsonTransport transport) {
        this.t = transport;
    }

    public Release create(CreateRelease body) {
        return t.created(t.post(t.url(ApiRoutes.RELEASES), body, null), Release.class).value();
    }

    public List<Release> list() {
        return t.get(t.url(ApiRoutes.RELEASES), new TypeReference<>() { });
    }

    public Optional<Release> find(String id) {
        return t.find(t.url(ApiRoutes.RELEASE, id), Release.class);
    }

    public SignedStatement addSignature(String releaseId, SignedStatement body) {
        return t.created(t.post(t.url(ApiRoutes.RELEASE_SIGNATURES, releaseId), body, null), SignedStatement.class)
                .value();
    }
}
