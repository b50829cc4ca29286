package dev.roboflare.controlplane.deploy;

import dev.roboflare.protocol.DeploymentStatus;
import dev.roboflare.protocol.OperatorApi.Child;
import dev.roboflare.protocol.TargetKind;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A deployment as the operator API shows it: the protocol's Deployment plus {@code summary}, the number of
 * children per status (all statuses, zeros included; empty for a robot deployment).
 */
public record DeploymentView(String id, String parentId, DeploymentStatus status, String releaseId,
                             TargetKind targetKind, String targetId, Instant scheduledAt, Instant createdAt,
                             Map<String, Integer> summary, List<Child> children) {

    /** The protocol's record, for readers that do not need the summary (the status page counts children itself). */
    public dev.roboflare.protocol.OperatorApi.Deployment asDeployment() {
        return new dev.roboflare.protocol.OperatorApi.Deployment(id, parentId, status, releaseId, targetKind, targetId,
                scheduledAt, createdAt, children);
    }
}
