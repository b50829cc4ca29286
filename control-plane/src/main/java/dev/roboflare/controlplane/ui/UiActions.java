package dev.roboflare.controlplane.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roboflare.controlplane.RequestRejected;
import dev.roboflare.controlplane.api.IdempotentDeployments;
import dev.roboflare.controlplane.deploy.DeploymentCanceller;
import dev.roboflare.controlplane.deploy.DeploymentCreator;
import dev.roboflare.controlplane.idempotency.IdempotentRequests;
import dev.roboflare.controlplane.trust.OperatorTokens;
import dev.roboflare.protocol.OperatorApi.CreateDeployment;
import dev.roboflare.protocol.WireJson;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What an operator can do from the status page: deploy (a release to a robot or fleet, now or scheduled, in waves),
 * roll back (a deploy of the previous release) and cancel. The same services and rules as the operator API:
 * the form's Idempotency-Key under the token's scope, so a form sent twice makes one deployment.
 */
public final class UiActions {
    private static final ObjectMapper JSON = WireJson.lenient();

    /** {@code deploymentId} on success (201, or its replay); otherwise the status and the problem's detail. */
    record Outcome(int status, String deploymentId, String detail, boolean replayed) {
        boolean created() {
            return status == 201;
        }
    }

    private final IdempotentDeployments deployments;
    private final DeploymentCanceller canceller;

    public UiActions(IdempotentDeployments deployments, DeploymentCanceller canceller) {
        this.deployments = deployments;
        this.canceller = canceller;
    }

    Outcome deploy(OperatorTokens.Grant op, String key, CreateDeployment request) {
        try {
            IdempotentRequests.Response r = deployments.create(op, DeploymentCreator.validKey(key), request);
            JsonNode body = JSON.readTree(r.body());
            return r.status() == 201 ? new Outcome(201, body.path("id").asText(), null, r.replayed())
                    : new Outcome(r.status(), null, body.path("detail").asText(), r.replayed());
        } catch (RequestRejected e) {
            return new Outcome(e.status(), null, e.detail(), false);
        } catch (IOException e) {
            throw new UncheckedIOException("a stored response is always JSON", e);
        }
    }

    /** Throws RequestRejected (404 for another organisation's id, 409 for a fleet's child). */
    void cancel(OperatorTokens.Grant op, String deploymentId) {
        canceller.cancel(op.org(), deploymentId);
    }
}
