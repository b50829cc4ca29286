package dev.roboflare.cli.commands;

import dev.roboflare.protocol.OperatorApi;
import dev.roboflare.protocol.TargetKind;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

@Command(name = "deploy", mixinStandardHelpOptions = true,
        description = "Deploy RELEASE to one robot or a fleet (a fleet fans out into one child per robot). "
                + "Prints the Idempotency-Key on stderr before sending.")
public final class DeployCommand extends OperatorCommand {
    @Parameters(paramLabel = "RELEASE", description = "release id, or a semver that only one release has")
    String release;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @Option(names = "--robot", paramLabel = "ROBOT", description = "robot id or name")
        String robot;

        @Option(names = "--fleet", paramLabel = "FLEET", description = "fleet id or name")
        String fleet;
    }

    @Option(names = "--at", paramLabel = "TIME", converter = InstantConverter.class,
            description = "dispatch at TIME (RFC 3339, e.g. 2026-06-01T03:00:00Z) instead of now")
    Instant at;

    @Option(names = "--idempotency-key", paramLabel = "KEY",
            description = "reuse the key of an earlier attempt (default: a new UUID)")
    String idempotencyKey;

    @Option(names = "--force", description = "the robots do not wait until they are free (an app's update lock, a "
            + "run in progress, their maintenance windows), and robots that rolled this release back get it again")
    boolean force;

    @Option(names = "--json", description = "print the deployment as JSON")
    boolean json;

    @Override
    public Integer call() {
        Lookup lookup = lookup();
        OperatorApi.Release r = lookup.release(release);
        if (target.robot != null) {
            OperatorApi.Robot robot = lookup.robot(target.robot);
            new Deployer(this).deploy(r, TargetKind.ROBOT, robot.id(), robot.name(), at, idempotencyKey, json, force);
        } else {
            OperatorApi.Fleet fleet = lookup.fleet(target.fleet);
            new Deployer(this).deploy(r, TargetKind.FLEET, fleet.id(), fleet.name(), at, idempotencyKey, json, force);
        }
        return 0;
    }

    static final class InstantConverter implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            try {
                return OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeParseException e) {
                throw new TypeConversionException("'" + value + "' is not an RFC 3339 time such as 2026-06-01T03:00:00Z "
                        + "or 2026-06-01T05:00:00+02:00");
            }
        }
    }
}
