package dev.roboflare.controlplane.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roboflare.controlplane.deploy.DeploymentCreator;
import dev.roboflare.controlplane.deploy.DeploymentView;
import dev.roboflare.controlplane.idempotency.IdempotentRequests;
import dev.roboflare.controlplane.trust.OperatorTokens;
import dev.roboflare.protocol.OperatorApi.CreateDeployment;
import dev.roboflare.protocol.WireJson;

/**
 * Creating a deployment under an Idempotency-Key, the one way both {@code POST /api/deployments} and the status
 * page's deploy form do it: keys scoped to the operator token, the request's fingerprint, the first response (201
 * or a 4xx problem) stored and replayed byte for byte.
 */
public final class IdempotentDeployments {
    private static final ObjectMapper JSON = WireJson.lenient();

    private final DeploymentCreator creator;
    private final IdempotentRequests idempotency;

    public IdempotentDeployments(DeploymentCreator creator, IdempotentRequests idempotency) {
        this.creator = creator;
        this.idempotency = idempotency;
    }

    /** {@code key} already checked with {@link DeploymentCreator#validKey}; the request is validated here. */
    public IdempotentRequests.Response create(OperatorTokens.Grant op, String key, CreateDeployment request) {
        DeploymentCreator.validate(request);
        // Keys are scoped to the token (a hash of it), and a token acts in one organisation only.
        return idempotency.run(op.idempotencyScope(), key, DeploymentCreator.fingerprint(request),
                c -> {
                    DeploymentView d = creator.insert(c, op.org(), key, request);
                    return new IdempotentRequests.Response(201, json(d), d.id());
                },
                rejected -> new IdempotentRequests.Response(rejected.status(),
                        Problems.body(rejected.status(), rejected.detail()), null));
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a deployment view always serializes", e);
        }
    }
}
