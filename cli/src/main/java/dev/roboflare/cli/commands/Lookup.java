package dev.roboflare.cli.commands;

import dev.roboflare.cli.CliException;
import dev.roboflare.cli.http.ControlPlaneClient;
import dev.roboflare.protocol.OperatorApi;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Turns what an operator types (an id, a robot or fleet name, a release semver) into the thing it names. */
final class Lookup {
    private final ControlPlaneClient client;
    private Map<String, String> robotNames;
    private final Map<String, String> releaseSemvers = new HashMap<>();

    Lookup(ControlPlaneClient client) {
        this.client = client;
    }

    OperatorApi.Robot robot(String ref) {
        return findRobot(ref).orElseThrow(() -> new CliException("no robot with id or name '" + ref
                + "'; list robots with: roboflare robot list"));
    }

    Optional<OperatorApi.Robot> findRobot(String ref) {
        Optional<OperatorApi.Robot> byId = client.robots().find(ref);
        if (byId.isPresent()) {
            return byId;
        }
        return unique(client.robots().list(), OperatorApi.Robot::name, ref, "robots");
    }

    OperatorApi.Fleet fleet(String ref) {
        return findFleet(ref).orElseThrow(() -> new CliException("no fleet with id or name '" + ref
                + "'; list fleets with: roboflare fleet list"));
    }

    Optional<OperatorApi.Fleet> findFleet(String ref) {
        Optional<OperatorApi.Fleet> byId = client.fleets().find(ref);
        if (byId.isPresent()) {
            return byId;
        }
        return unique(client.fleets().list(), OperatorApi.Fleet::name, ref, "fleets");
    }

    /** A release by id, by ARTIFACT_NAME@SEMVER, or by semver when exactly one release has it. */
    OperatorApi.Release release(String ref) {
        Optional<OperatorApi.Release> byId = client.releases().find(ref);
        if (byId.isPresent()) {
            return byId.get();
        }
        int at = ref.lastIndexOf('@');
        if (at > 0) {
            String name = ref.substring(0, at);
            String semver = ref.substring(at + 1);
            return client.releases().list().stream().filter(r -> r.semver().equals(semver))
                    .filter(r -> client.artifacts().find(r.artifactId()).map(a -> a.name().equals(name)).orElse(false))
                    .findFirst().orElseThrow(() -> new CliException("no release " + semver + " of artifact '" + name
                            + "'; list releases with: roboflare release list"));
        }
        return unique(client.releases().list(), OperatorApi.Release::semver, ref, "releases (of different artifacts)")
                .orElseThrow(() -> new CliException("no release with id or semver '" + ref
                        + "'; list releases with: roboflare release list"));
    }

    String robotName(String robotId) {
        if (robotId == null) {
            return null;
        }
        if (robotNames == null) {
            robotNames = new HashMap<>();
            for (OperatorApi.Robot r : client.robots().list()) {
                robotNames.put(r.id(), r.name());
            }
        }
        return robotNames.getOrDefault(robotId, robotId);
    }

    String targetName(dev.roboflare.protocol.TargetKind kind, String id) {
        return kind == dev.roboflare.protocol.TargetKind.ROBOT ? robotName(id)
                : client.fleets().find(id).map(OperatorApi.Fleet::name).orElse(id);
    }

    String semver(String releaseId) {
        return releaseSemvers.computeIfAbsent(releaseId,
                id -> client.releases().find(id).map(OperatorApi.Release::semver).orElse(id));
    }

    private static <T> Optional<T> unique(List<T> all, Function<T, String> name, String ref, String what) {
        List<T> matches = all.stream().filter(t -> ref.equals(name.apply(t))).toList();
        if (matches.size() > 1) {
            throw new CliException(matches.size() + " " + what + " are called '" + ref + "'; use the id"
                    + (what.startsWith("releases") ? " or ARTIFACT_NAME@" + ref : "") + " instead");
        }
        return matches.stream().findFirst();
    }
}
