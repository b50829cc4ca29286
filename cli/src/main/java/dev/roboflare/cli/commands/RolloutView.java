package dev.roboflare.cli.commands;

import dev.roboflare.cli.http.ControlPlaneClient;
import dev.roboflare.protocol.AgentApi;
import dev.roboflare.protocol.DeploymentStatus;
import dev.roboflare.protocol.OperatorApi;
import dev.roboflare.protocol.TargetKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One deployment as an operator watches it: one row per robot (the children of a fleet deployment, or the
 * deployment itself for a robot target) with its status and newest event. Events are fetched again only for
 * rows whose status changed since the last look.
 */
final class RolloutView {
    /** What {@code status --json} prints. */
    record Snapshot(OperatorApi.Deployment deployment, String releaseSemver, List<RobotRow> robots,
                    Map<DeploymentStatus, Integer> counts, boolean finished) {
        boolean anyFailedOrRolledBack() {
            return counts.getOrDefault(DeploymentStatus.FAILED, 0) > 0
                    || counts.getOrDefault(DeploymentStatus.ROLLED_BACK, 0) > 0;
        }
    }

    /** {@code progress}: what the robot's agent last said it is doing with it while dispatched (null: nothing). */
    record RobotRow(String deploymentId, String robotId, String robotName, DeploymentStatus status, String detail,
                    Instant updatedAt, AgentApi.Progress progress) {
        RobotRow withProgress(AgentApi.Progress p) {
            return new RobotRow(deploymentId, robotId, robotName, status, detail, updatedAt, p);
        }
    }

    private final ControlPlaneClient client;
    private final Lookup lookup;
    private final String deploymentId;
    private final Map<String, RobotRow> lastRows = new HashMap<>();

    RolloutView(ControlPlaneClient client, Lookup lookup, String deploymentId) {
        this.client = client;
        this.lookup = lookup;
        this.deploymentId = deploymentId;
    }

    Snapshot load() {
        OperatorApi.Deployment d = client.deployments().get(deploymentId);
        List<OperatorApi.Child> children = d.targetKind() == TargetKind.FLEET ? d.children()
                : List.of(new OperatorApi.Child(d.id(), d.targetId(), d.status(), d.status() == DeploymentStatus.DISPATCHED
                        ? client.robots().find(d.targetId()).map(OperatorApi.Robot::progress).orElse(null) : null));
        List<RobotRow> rows = new ArrayList<>();
        Map<DeploymentStatus, Integer> counts = new EnumMap<>(DeploymentStatus.class);
        boolean finished = !children.isEmpty();
        for (OperatorApi.Child c : children) {
            RobotRow previous = lastRows.get(c.id());
            RobotRow row = previous;
            if (previous == null || previous.status() != c.status()) {
                List<OperatorApi.Event> events = client.deployments().events(c.id());
                OperatorApi.Event newest = events.isEmpty() ? null : events.get(events.size() - 1);
                row = new RobotRow(c.id(), c.robotId(), lookup.robotName(c.robotId()),
                        newest == null ? c.status() : newest.status(), newest == null ? null : newest.detail(),
                        newest == null ? null : newest.createdAt(), null);
                lastRows.put(c.id(), row);
            }
            row = row.withProgress(c.progress());
            rows.add(row);
            counts.merge(row.status(), 1, Integer::sum);
            finished &= row.status().isFinal();
        }
        return new Snapshot(d, lookup.semver(d.releaseId()), rows, counts, finished);
    }
}
