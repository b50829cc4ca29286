package dev.roboflare.cli.http;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.roboflare.protocol.ApiRoutes;
import dev.roboflare.protocol.TrustApi.CreateOperatorToken;
import dev.roboflare.protocol.TrustApi.CreateOrganisation;
import dev.roboflare.protocol.TrustApi.OperatorToken;
import dev.roboflare.protocol.TrustApi.OperatorTokenCreated;
import dev.roboflare.protocol.TrustApi.Organisation;
import dev.roboflare.protocol.TrustApi.SetQuota;
import java.util.List;
import java.util.Map;
import okhttp3.Request;

/** What only the admin token may do: /api/orgs and /api/operator-tokens. */
public final class AdminClient {
    private final JsonTransport t;

    AdminClient(JsonTransport transport) {
        this.t = transport;
    }

    /** {@code quota}: a size such as "50G", or null for none. */
    public Organisation createOrganisation(String name, String quota) {
        return t.created(t.post(t.url(ApiRoutes.ORGS), new CreateOrganisation(name, quota), null), Organisation.class)
                .value();
    }

    /** {@code quota}: a size such as "50G", or null to remove the quota. */
    public Organisation setQuota(String org, String quota) {
        Request post = t.post(t.url(ApiRoutes.ORG_QUOTA, org), new SetQuota(quota), null);
        return t.call(post.newBuilder().put(post.body()).build(), Organisation.class);
    }

    public List<Organisation> organisations() {
        return t.get(t.url(ApiRoutes.ORGS), new TypeReference<>() { });
    }

    public OperatorTokenCreated createOperatorToken(String name, String org, boolean readOnly) {
        return t.created(t.post(t.url(ApiRoutes.OPERATOR_TOKENS), new CreateOperatorToken(name, readOnly, org), null),
                OperatorTokenCreated.class).value();
    }

    public List<OperatorToken> operatorTokens() {
        return t.get(t.url(ApiRoutes.OPERATOR_TOKENS), new TypeReference<>() { });
    }

    public OperatorToken revokeOperatorToken(String tokenId) {
        return t.call(t.post(t.url(ApiRoutes.OPERATOR_TOKEN_REVOKE, tokenId), Map.of(), null), OperatorToken.class);
    }
}
