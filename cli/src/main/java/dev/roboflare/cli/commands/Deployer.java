package dev.roboflare.cli.commands;

import dev.roboflare.cli.http.Created;
import dev.roboflare.protocol.OperatorApi;
import dev.roboflare.protocol.TargetKind;
import java.time.Instant;
import java.util.UUID;

/**
 * Sends one deployment with an Idempotency-Key: a fresh UUID unless the operator passes one to retry. The key is
 * printed on stderr before the request leaves, so after a lost answer the same command with
 * {@code --idempotency-key KEY} returns the deployment the first attempt created instead of deploying twice.
 */
final class Deployer {
    private final OperatorCommand command;

    Deployer(OperatorCommand command) {
        this.command = command;
    }

    Created<OperatorApi.Deployment> deploy(OperatorApi.Release release, TargetKind kind, String targetId,
                                           String targetName, Instant at, String idempotencyKey, boolean json) {
        String key = idempotencyKey != null ? idempotencyKey : UUID.randomUUID().toString();
        command.err().println("Idempotency-Key: " + key + "   (to retry safely: --idempotency-key " + key + ")");
        command.err().flush();
        Created<OperatorApi.Deployment> result = command.client().deployments().create(key,
                new OperatorApi.CreateDeployment(release.id(), kind, targetId, at));
        OperatorApi.Deployment d = result.value();
        if (json) {
            command.printJson(d);
            return result;
        }
        String target = kind.wire() + " " + targetName
                + (kind == TargetKind.FLEET ? " (" + d.children().size() + " robots)" : "");
        command.out().println("deployment " + d.id() + (result.created() ? " created" : " already existed for this key")
                + ": release " + release.semver() + " → " + target + ", " + d.status().wire()
                + (d.scheduledAt() != null ? " (scheduled for " + d.scheduledAt() + ")" : ""));
        command.out().println("watch it: roboflare status " + d.id() + " --watch");
        return result;
    }
}
