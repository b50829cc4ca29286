package dev.roboflare.cli.http;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.roboflare.protocol.ApiRoutes;
import dev.roboflare.protocol.OperatorApi.CreateDeployment;
import dev.roboflare.protocol.OperatorApi.Deployment;
import dev.roboflare.protocol.OperatorApi.Event;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.Request;

/** /api/deployments and their event logs. */
public final class DeploymentsClient {
    private final JsonTransport t;

    DeploymentsClient(JsonTransport transport) {
        this.t = transport;
    }

    public Created<Deployment> create(String idempotencyKey, CreateDeployment body) {
        return t.created(t.post(t.url(ApiRoutes.DEPLOYMENTS), body, idempotencyKey), Deployment.class);
    }

    public Deployment get(String id) {
        return t.call(new Request.Builder().url(t.url(ApiRoutes.DEPLOYMENT, id)).build(), Deployment.class);
    }

    /** Newest first; with a robot id that robot's deployments (fleet children included), else top-level ones. */
    public List<Deployment> list(String robotId, int limit) {
        HttpUrl.Builder b = t.url(ApiRoutes.DEPLOYMENTS).newBuilder()
                .addQueryParameter("limit", Integer.toString(limit));
        if (robotId != null) {
            b.addQueryParameter("robot_id", robotId);
        }
        return t.get(b.build(), new TypeReference<>() { });
    }

    public List<Event> events(String deploymentId) {
        return t.get(t.url(ApiRoutes.DEPLOYMENT_EVENTS, deploymentId), new TypeReference<>() { });
    }
}
