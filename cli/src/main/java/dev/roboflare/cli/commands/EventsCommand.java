package dev.roboflare.cli.commands;

import dev.roboflare.cli.output.Table;
import dev.roboflare.cli.output.Texts;
import dev.roboflare.protocol.DeploymentStatus;
import dev.roboflare.protocol.OperatorApi;
import dev.roboflare.protocol.TargetKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "events", mixinStandardHelpOptions = true,
        description = "The append-only event log of a deployment, oldest first; for a fleet deployment, its own "
                + "events and every robot's, interleaved by time.")
public final class EventsCommand extends OperatorCommand {
    @Parameters(paramLabel = "DEPLOYMENT", description = "deployment id")
    String deploymentId;

    @Option(names = "--json", description = "print JSON: one object per event with its deployment and robot")
    boolean json;

    /** One event with the deployment and robot it belongs to (robot null for a fleet deployment's own events). */
    record Row(String deploymentId, String robotId, String robotName, String eventId, DeploymentStatus status,
               String detail, Instant createdAt) {
    }

    @Override
    public Integer call() {
        Lookup lookup = lookup();
        OperatorApi.Deployment d = client().deployments().get(deploymentId);
        List<Row> rows = new ArrayList<>();
        String ownRobot = d.targetKind() == TargetKind.ROBOT ? d.targetId() : null;
        add(rows, d.id(), ownRobot, lookup);
        for (OperatorApi.Child c : d.children()) {
            add(rows, c.id(), c.robotId(), lookup);
        }
        rows.sort(Comparator.comparing(Row::createdAt)); // stable: the parent's events stay first on ties
        if (json) {
            printJson(rows);
            return 0;
        }
        Table t = new Table("TIME", "ROBOT", "STATUS", "DETAIL");
        for (Row r : rows) {
            t.row(Texts.time(r.createdAt()), r.robotName() == null ? "(" + d.targetKind().wire() + ")" : r.robotName(),
                    r.status().wire(), r.detail() == null ? "" : r.detail().strip().replaceAll("\\s*\\R\\s*", " | "));
        }
        out().print(t.render());
        return 0;
    }

    private void add(List<Row> rows, String id, String robotId, Lookup lookup) {
        for (OperatorApi.Event e : client().deployments().events(id)) {
            rows.add(new Row(id, robotId, lookup.robotName(robotId), e.eventId(), e.status(), e.detail(),
                    e.createdAt()));
        }
    }
}
