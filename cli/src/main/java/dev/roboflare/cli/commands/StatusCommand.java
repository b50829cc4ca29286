package dev.roboflare.cli.commands;

import dev.roboflare.cli.CliException;
import dev.roboflare.cli.Main;
import dev.roboflare.cli.output.Table;
import dev.roboflare.cli.output.Texts;
import dev.roboflare.protocol.DeploymentStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Per-robot status of a deployment. With --watch, follow it until every robot has an outcome "
                + "(applied, failed or rolled_back). Exit code 3 when any robot failed or rolled back.")
public final class StatusCommand extends OperatorCommand {
    @Parameters(paramLabel = "DEPLOYMENT", description = "deployment id")
    String deploymentId;

    @Option(names = "--watch", description = "refresh until every robot has finished")
    boolean watch;

    @Option(names = "--interval", defaultValue = "2s", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "how often --watch polls (default ${DEFAULT-VALUE})")
    Duration interval;

    @Option(names = "--timeout", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "give up watching after DURATION (exit 1); default: wait as long as it takes")
    Duration timeout;

    @Option(names = "--json", description = "print the (final, with --watch) status as JSON")
    boolean json;

    private Lookup names;

    @Override
    public Integer call() throws InterruptedException {
        names = lookup();
        RolloutView view = new RolloutView(client(), names, deploymentId);
        RolloutView.Snapshot s = view.load();
        if (watch) {
            s = follow(view, s);
        }
        if (json) {
            printJson(s);
        } else if (!(watch && session().terminal())) {
            print(s);
        }
        return s.anyFailedOrRolledBack() ? Main.EXIT_DEPLOYMENT_FAILED : 0;
    }

    private RolloutView.Snapshot follow(RolloutView view, RolloutView.Snapshot first) throws InterruptedException {
        Instant deadline = timeout == null ? null : Instant.now().plus(timeout);
        Map<String, String> seen = new HashMap<>();
        RolloutView.Snapshot s = first;
        while (true) {
            if (session().terminal() && !json) {
                out().print("\033[H\033[2J"); // redraw in place
                print(s);
                out().println(s.finished() ? "" : "watching; Ctrl-C stops watching (the deployment carries on)");
            } else if (!json) {
                for (RolloutView.RobotRow r : s.robots()) {
                    String now = r.status().wire() + (r.progress() == null ? "" : " (" + r.progress().text() + ")");
                    // a wait at the robot's update gate is one line, not a new one each minute its duration grows
                    String same = r.progress() == null || r.progress().waiting() == null ? now
                            : r.status().wire() + " " + r.progress().waiting().reason() + r.progress().waiting().since();
                    if (!same.equals(seen.put(r.deploymentId(), same))) {
                        out().println((r.progress() == null ? Texts.time(r.updatedAt()) : Texts.time(Instant.now()))
                                + "  " + r.robotName() + "  " + now
                                + (r.detail() == null || r.progress() != null ? "" : "  " + Texts.firstLine(r.detail())));
                    }
                }
            }
            out().flush();
            if (s.finished()) {
                return s;
            }
            if (deadline != null && Instant.now().isAfter(deadline)) {
                throw new CliException("deployment " + deploymentId + " still has robots without an outcome after "
                        + timeout.toString().substring(2).toLowerCase(Locale.ROOT) + ": " + counts(s));
            }
            Thread.sleep(interval.toMillis());
            s = view.load();
        }
    }

    private void print(RolloutView.Snapshot s) {
        var d = s.deployment();
        out().println("deployment " + d.id() + ": release " + s.releaseSemver() + " → " + d.targetKind().wire() + " "
                + names.targetName(d.targetKind(), d.targetId()) + ", created " + Texts.time(d.createdAt())
                + (d.scheduledAt() != null ? ", scheduled for " + Texts.time(d.scheduledAt()) : ""));
        Table t = new Table("ROBOT", "STATUS", "SINCE", "DETAIL");
        for (RolloutView.RobotRow r : s.robots()) {
            t.row(r.robotName(), r.status().wire(), Texts.time(r.updatedAt()),
                    r.progress() != null ? r.progress().text() : Texts.firstLine(r.detail()));
        }
        out().print(t.render());
        out().println((s.finished() ? "finished: " : "in progress: ") + counts(s));
    }

    private static String counts(RolloutView.Snapshot s) {
        StringJoiner j = new StringJoiner(", ");
        for (DeploymentStatus st : DeploymentStatus.values()) {
            int n = s.counts().getOrDefault(st, 0);
            if (n > 0) {
                j.add(n + " " + st.wire());
            }
        }
        return j.toString();
    }

    /** {@code 500ms}, {@code 2s}, {@code 5m}, {@code 1h}, or ISO-8601 ({@code PT2S}). */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String v = value.strip().toLowerCase(Locale.ROOT);
            try {
                if (v.startsWith("pt")) {
                    return Duration.parse(v.toUpperCase(Locale.ROOT));
                }
                if (v.endsWith("ms")) {
                    return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
                }
                long n = Long.parseLong(v.substring(0, v.length() - 1));
                return switch (v.charAt(v.length() - 1)) {
                    case 's' -> Duration.ofSeconds(n);
                    case 'm' -> Duration.ofMinutes(n);
                    case 'h' -> Duration.ofHours(n);
                    default -> throw new NumberFormatException();
                };
            } catch (RuntimeException e) {
                throw new TypeConversionException("'" + value + "' is not a duration such as 500ms, 2s, 5m or 1h");
            }
        }
    }
}
