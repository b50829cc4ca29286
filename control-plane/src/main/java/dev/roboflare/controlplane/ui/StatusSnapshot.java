package dev.roboflare.controlplane.ui;

import dev.roboflare.controlplane.api.HttpApi;
import dev.roboflare.protocol.DeploymentStatus;
import dev.roboflare.protocol.OperatorApi;
import dev.roboflare.protocol.TargetKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the status page shows, read through the same services that answer the operator API (fleets, robots,
 * deployments newest first, a robot's deployments, a deployment's events). Fleet progress is computed here from
 * each fleet deployment's children; nothing new is stored.
 */
record StatusSnapshot(Instant now, List<FleetView> fleets, List<DeploymentView> deployments, List<RobotView> robots,
                      Map<String, String> robotNames, Map<String, String> releaseSemvers) {
    static final int RECENT_DEPLOYMENTS = 20;
    static final int ROBOT_HISTORY = 6;

    record FleetView(OperatorApi.Fleet fleet, List<DeploymentView> recent) {
    }

    /** One top-level deployment with how many of its robots are in each status. */
    record DeploymentView(OperatorApi.Deployment deployment, Map<DeploymentStatus, Integer> counts, int robots) {
        boolean finished() {
            int done = 0;
            for (Map.Entry<DeploymentStatus, Integer> e : counts.entrySet()) {
                done += e.getKey().isFinal() ? e.getValue() : 0;
            }
            return robots > 0 && done == robots;
        }
    }

    /** One deployment in a robot's history; {@code outcome} is the newest event's detail for failed/rolled_back. */
    record HistoryEntry(OperatorApi.Deployment deployment, String outcome) {
    }

    record RobotView(OperatorApi.Robot robot, List<String> fleetNames, List<HistoryEntry> history) {
    }

    /** {@code org}: the organisation of the token behind the page; nothing of another one is read. */
    static StatusSnapshot read(HttpApi.Services s, String org, Instant now) {
        Map<String, String> semvers = new HashMap<>();
        for (OperatorApi.Release r : s.releases().list(org)) {
            semvers.put(r.id(), r.semver());
        }
        List<OperatorApi.Robot> robots = s.robots().list(org);
        Map<String, String> robotNames = new LinkedHashMap<>();
        robots.forEach(r -> robotNames.put(r.id(), r.name()));
        List<OperatorApi.Fleet> fleets = s.fleets().list(org);

        List<DeploymentView> recent = new ArrayList<>();
        for (var v : s.deployments().listNewestFirst(org, null, RECENT_DEPLOYMENTS)) {
            recent.add(progress(v.asDeployment()));
        }
        List<FleetView> fleetViews = new ArrayList<>();
        Map<String, List<String>> fleetsOfRobot = new HashMap<>();
        for (OperatorApi.Fleet f : fleets) {
            List<DeploymentView> ofFleet = recent.stream()
                    .filter(v -> v.deployment().targetKind() == TargetKind.FLEET
                            && v.deployment().targetId().equals(f.id()))
                    .limit(3).toList();
            fleetViews.add(new FleetView(f, ofFleet));
            f.robotIds().forEach(id -> fleetsOfRobot.computeIfAbsent(id, k -> new ArrayList<>()).add(f.name()));
        }
        List<RobotView> robotViews = new ArrayList<>();
        for (OperatorApi.Robot r : robots) {
            List<HistoryEntry> history = new ArrayList<>();
            for (var v : s.deployments().listNewestFirst(org, r.id(), ROBOT_HISTORY)) {
                OperatorApi.Deployment d = v.asDeployment();
                String outcome = null;
                if (d.status() == DeploymentStatus.ROLLED_BACK || d.status() == DeploymentStatus.FAILED) {
                    List<OperatorApi.Event> events = s.deployments().events(org, d.id());
                    outcome = events.isEmpty() ? null : events.get(events.size() - 1).detail();
                }
                history.add(new HistoryEntry(d, outcome));
            }
            robotViews.add(new RobotView(r, fleetsOfRobot.getOrDefault(r.id(), List.of()), history));
        }
        return new StatusSnapshot(now, fleetViews, recent, robotViews, robotNames, semvers);
    }

    private static DeploymentView progress(OperatorApi.Deployment d) {
        Map<DeploymentStatus, Integer> counts = new EnumMap<>(DeploymentStatus.class);
        if (d.targetKind() == TargetKind.FLEET) {
            d.children().forEach(c -> counts.merge(c.status(), 1, Integer::sum));
            return new DeploymentView(d, counts, d.children().size());
        }
        counts.put(d.status(), 1);
        return new DeploymentView(d, counts, 1);
    }
}
