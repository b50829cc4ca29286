package dev.roboflare.controlplane.ui;

import static dev.roboflare.controlplane.ui.Html.esc;

import dev.roboflare.controlplane.storage.StatusPageRows.FleetLine;
import dev.roboflare.controlplane.storage.StatusPageRows.ReleaseLine;
import dev.roboflare.protocol.OperatorApi.CreateDeployment;
import dev.roboflare.protocol.TargetKind;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.function.Function;

/**
 * /ui/deploy: the form (release, a fleet or the robot it was opened for, an optional UTC start time, waves and the
 * failure ratio for a fleet, force past the robots' update gate and quarantine) and reading it back into the API's {@link CreateDeployment}.
 * The page does not refresh itself, so a half-filled form is never lost.
 */
record DeployForm(String releaseId, String target, String scheduledAt, String batchSize, String maxFailureRatio,
                  boolean force) {
    /** {@code target}: {@code robot:<id>} or {@code fleet:<id>}. */
    static DeployForm from(Function<String, String> param) {
        String target = param.apply("target");
        if (target == null && param.apply("target_kind") != null) {
            target = param.apply("target_kind") + ":" + param.apply("target_id");
        }
        return new DeployForm(param.apply("release_id"), target, param.apply("scheduled_at"),
                param.apply("batch_size"), param.apply("max_failure_ratio"), "on".equals(param.apply("force")));
    }

    TargetKind targetKind() {
        return target != null && target.startsWith("robot:") ? TargetKind.ROBOT
                : target != null && target.startsWith("fleet:") ? TargetKind.FLEET : null;
    }

    String targetId() {
        return targetKind() == null ? null : target.substring(target.indexOf(':') + 1);
    }

    /** The API's request; throws IllegalArgumentException with a sentence for the form for what cannot be read. */
    CreateDeployment request() {
        if (targetKind() == null || targetId().isBlank()) {
            throw new IllegalArgumentException("choose a fleet (or open the form from a robot's Deploy… link)");
        }
        Instant when = null;
        if (scheduledAt != null && !scheduledAt.isBlank()) {
            try {
                when = LocalDateTime.parse(scheduledAt.strip()).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("the start time '" + scheduledAt + "' is not a date and time "
                        + "such as 2026-06-01T03:00 (UTC)");
            }
        }
        Integer batch = null;
        Double ratio = null;
        try {
            batch = blank(batchSize) ? null : Integer.valueOf(batchSize.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("robots per wave must be a whole number, got '" + batchSize + "'");
        }
        try {
            ratio = blank(maxFailureRatio) ? null : Double.valueOf(maxFailureRatio.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the failure ratio must be a number from 0 to 1, got '"
                    + maxFailureRatio + "'");
        }
        return new CreateDeployment(blank(releaseId) ? null : releaseId, targetKind(), targetId(), when, ratio, batch,
                force ? Boolean.TRUE : null);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    String render(StatusReads.DeployChoices choices, Viewer v, String error) {
        StringBuilder h = Html.head("Roboflare · deploy", 0);
        v.header(h, "deploy a release");
        h.append("<main><h2>Deploy a release</h2>");
        if (error != null) {
            h.append("<div class=\"flash error\" id=\"error\">").append(esc(error)).append("</div>");
        }
        h.append("<form class=\"deploy card\" method=\"post\" action=\"/ui/deploy\" id=\"deploy\">");
        v.csrfField(h);
        Viewer.idempotencyKeyField(h);
        h.append("<label>Release<select name=\"release_id\" required><option value=\"\">choose…</option>");
        for (ReleaseLine r : choices.releases()) {
            StatusHtml.option(h, r.id(), r.artifactName() + " " + r.semver(), r.id().equals(releaseId));
        }
        h.append("</select></label>");
        if (targetKind() == TargetKind.ROBOT) {
            h.append("<input type=\"hidden\" name=\"target\" value=\"").append(esc(target)).append("\">")
                    .append("<label>Robot<b>").append(esc(choices.robotName() == null ? "unknown robot"
                            : choices.robotName())).append("</b></label>");
        } else {
            h.append("<label>Fleet<select name=\"target\" required><option value=\"\">choose…</option>");
            for (FleetLine f : choices.fleets()) {
                StatusHtml.option(h, "fleet:" + f.id(), f.name() + " (" + Html.plural(f.robots(), "robot") + ")",
                        ("fleet:" + f.id()).equals(target));
            }
            h.append("</select></label>");
        }
        h.append("<label>Start at (UTC; empty: now)<input type=\"datetime-local\" name=\"scheduled_at\" value=\"")
                .append(esc(scheduledAt)).append("\"></label>");
        if (targetKind() != TargetKind.ROBOT) {
            h.append("<label>Robots per wave (empty: all at once)<input type=\"number\" min=\"1\" name=\"batch_size\" "
                    + "value=\"").append(esc(batchSize)).append("\"></label>")
                    .append("<label>Halt when this share of robots failed (0–1, empty: 0.2)<input type=\"number\" "
                            + "min=\"0\" max=\"1\" step=\"0.05\" name=\"max_failure_ratio\" value=\"")
                    .append(esc(maxFailureRatio)).append("\"></label>");
        }
        // one flag in the API: past the robots' update gate and past the quarantine of a release they rolled back
        h.append("<label style=\"flex-direction:row;gap:6px\"><input type=\"checkbox\" name=\"force\" id=\"force\"")
                .append(force ? " checked" : "").append("> <span><b>force</b> (skip the robot's update gate)")
                .append("<span class=\"muted small\"> — the update does not wait for a run in progress, an app's ")
                .append("update lock or the robot's maintenance window; robots that rolled this release back get it ")
                .append("again</span></span></label>")
                .append("<button type=\"submit\" class=\"primary\">Deploy</button> <a href=\"/ui\">back</a></form>")
                .append("</main></body></html>");
        return h.toString();
    }
}
