package dev.roboflare.cli.commands;

import dev.roboflare.cli.CliException;
import dev.roboflare.protocol.DeploymentStatus;
import dev.roboflare.protocol.OperatorApi;
import dev.roboflare.protocol.TargetKind;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Manual rollback is a normal deployment of the previous release (the seeds' rule): fully audited, with its own
 * events. "Previous" is worked out from the history the API already has:
 * <ul>
 * <li>a robot runs the release of its newest applied deployment; the previous release is the one of the newest
 * older applied deployment with a different release;</li>
 * <li>a fleet is on the release of its newest fleet deployment that any robot applied; the previous release is the
 * one of the newest older fleet deployment, with a different release, that any robot applied.</li>
 * </ul>
 */
@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = "Deploy the previous release again to a robot or a fleet (a new, audited deployment).")
public final class RollbackCommand extends OperatorCommand {
    private static final int HISTORY = 1000;

    @Parameters(paramLabel = "ROBOT|FLEET", description = "robot or fleet id or name")
    String target;

    @Option(names = "--idempotency-key", paramLabel = "KEY", description = "reuse the key of an earlier attempt")
    String idempotencyKey;

    @Option(names = "--json", description = "print the new deployment as JSON")
    boolean json;

    @Override
    public Integer call() {
        Lookup lookup = lookup();
        Optional<OperatorApi.Robot> robot = lookup.findRobot(target);
        Optional<OperatorApi.Fleet> fleet = lookup.findFleet(target);
        if (robot.isPresent() && fleet.isPresent()) {
            throw new CliException("'" + target + "' names both a robot and a fleet; pass the id of the one you mean");
        }
        if (robot.isPresent()) {
            rollbackRobot(robot.get(), lookup);
        } else if (fleet.isPresent()) {
            rollbackFleet(fleet.get(), lookup);
        } else {
            throw new CliException("no robot or fleet with id or name '" + target
                    + "'; list them with: roboflare robot list / roboflare fleet list");
        }
        return 0;
    }

    private void rollbackRobot(OperatorApi.Robot robot, Lookup lookup) {
        List<OperatorApi.Deployment> history = client().deployments().list(robot.id(), HISTORY);
        int current = indexOfApplied(history, 0, null);
        if (current < 0) {
            throw new CliException("robot " + robot.name() + " has no applied deployment, so there is nothing to roll "
                    + "back from");
        }
        String currentRelease = history.get(current).releaseId();
        int previous = indexOfApplied(history, current + 1, currentRelease);
        if (previous < 0) {
            throw new CliException("robot " + robot.name() + " has never applied a release before "
                    + lookup.semver(currentRelease) + ", so there is no previous release to roll back to");
        }
        OperatorApi.Release target = lookup.release(history.get(previous).releaseId());
        if (current > 0 && !json) {
            OperatorApi.Deployment newest = history.get(0);
            out().println("note: the newest deployment " + newest.id() + " (release " + lookup.semver(newest.releaseId())
                    + ") is " + newest.status().wire() + "; the robot runs " + lookup.semver(currentRelease));
        }
        if (!json) {
            out().println("rolling back robot " + robot.name() + " from " + lookup.semver(currentRelease) + " to "
                    + target.semver());
        }
        new Deployer(this).deploy(target, TargetKind.ROBOT, robot.id(), robot.name(), null, idempotencyKey, json);
    }

    private void rollbackFleet(OperatorApi.Fleet fleet, Lookup lookup) {
        List<OperatorApi.Deployment> history = client().deployments().list(null, HISTORY).stream()
                .filter(d -> d.targetKind() == TargetKind.FLEET && fleet.id().equals(d.targetId())).toList();
        int current = indexOfAnyApplied(history, 0, null);
        if (current < 0) {
            throw new CliException("fleet " + fleet.name() + " has no deployment that any robot applied, so there is "
                    + "nothing to roll back from");
        }
        String currentRelease = history.get(current).releaseId();
        int previous = indexOfAnyApplied(history, current + 1, currentRelease);
        if (previous < 0) {
            throw new CliException("fleet " + fleet.name() + " has no earlier fleet deployment of a release other than "
                    + lookup.semver(currentRelease) + "; deploy the release you want with: roboflare deploy RELEASE "
                    + "--fleet " + fleet.name());
        }
        OperatorApi.Release target = lookup.release(history.get(previous).releaseId());
        if (!json) {
            out().println("rolling back fleet " + fleet.name() + " from " + lookup.semver(currentRelease) + " to "
                    + target.semver());
        }
        new Deployer(this).deploy(target, TargetKind.FLEET, fleet.id(), fleet.name(), null, idempotencyKey, json);
    }

    private static int indexOfApplied(List<OperatorApi.Deployment> newestFirst, int from, String otherThanRelease) {
        for (int i = from; i < newestFirst.size(); i++) {
            OperatorApi.Deployment d = newestFirst.get(i);
            if (d.status() == DeploymentStatus.APPLIED && !d.releaseId().equals(otherThanRelease)) {
                return i;
            }
        }
        return -1;
    }

    private static int indexOfAnyApplied(List<OperatorApi.Deployment> newestFirst, int from, String otherThanRelease) {
        for (int i = from; i < newestFirst.size(); i++) {
            OperatorApi.Deployment d = newestFirst.get(i);
            if (!d.releaseId().equals(otherThanRelease)
                    && d.children().stream().anyMatch(c -> c.status() == DeploymentStatus.APPLIED)) {
                return i;
            }
        }
        return -1;
    }
}
