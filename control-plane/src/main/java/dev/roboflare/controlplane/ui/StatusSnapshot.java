package dev.roboflare.controlplane.ui;

import dev.roboflare.controlplane.storage.StatusPageRows.DeploymentLine;
import dev.roboflare.controlplane.storage.StatusPageRows.FleetLine;
import dev.roboflare.controlplane.storage.StatusPageRows.HistoryLine;
import dev.roboflare.controlplane.storage.StatusPageRows.ReleaseLine;
import dev.roboflare.controlplane.storage.StatusPageRows.RobotPage;
import dev.roboflare.protocol.DeploymentStatus;
import dev.roboflare.protocol.TargetKind;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Everything one view of /ui shows. */
record StatusSnapshot(Instant now, StatusQuery query, List<FleetLine> fleets, List<DeploymentLine> deployments,
                      RobotPage robots, Map<String, List<HistoryLine>> history, List<ReleaseLine> releases) {

    /**
     * Roll back for a robot: the newest release it had applied before the one it runs now (from the deployments
     * shown); empty when it runs nothing or ran nothing else.
     */
    Optional<HistoryLine> previousOfRobot(String robotId, String currentReleaseId) {
        if (currentReleaseId == null) {
            return Optional.empty();
        }
        return history.getOrDefault(robotId, List.of()).stream()
                .filter(h -> h.status() == DeploymentStatus.APPLIED && !h.releaseId().equals(currentReleaseId))
                .findFirst();
    }

    /** Roll back for a fleet: the release deployed to it before its newest deployment's (among the recent ones). */
    Optional<DeploymentLine> previousOfFleet(String fleetId) {
        List<DeploymentLine> ofFleet = ofFleet(fleetId);
        if (ofFleet.isEmpty()) {
            return Optional.empty();
        }
        String latest = ofFleet.get(0).releaseId();
        return ofFleet.stream().filter(d -> !d.releaseId().equals(latest)).findFirst();
    }

    List<DeploymentLine> ofFleet(String fleetId) {
        return deployments.stream().filter(d -> d.targetKind() == TargetKind.FLEET && d.targetId().equals(fleetId))
                .toList();
    }
}
