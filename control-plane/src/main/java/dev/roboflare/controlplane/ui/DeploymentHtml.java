package dev.roboflare.controlplane.ui;

import static dev.roboflare.controlplane.ui.Html.esc;
import static dev.roboflare.controlplane.ui.Html.time;

import dev.roboflare.controlplane.fleet.RobotRegistry;
import dev.roboflare.controlplane.storage.StatusPageRows.DeploymentLine;
import dev.roboflare.controlplane.storage.StatusPageRows.RobotPart;
import java.time.Instant;

/**
 * /ui/deployments/{id}: one deployment as it applies, refreshing every 3 s until no robot is left without an
 * outcome; each robot's status, its agent's live phase and the newest event's detail, failures first.
 */
final class DeploymentHtml {
    static final int REFRESH_SECONDS = 3;

    private DeploymentHtml() {
    }

    static String render(StatusReads.DeploymentDetail detail, Viewer v, Instant now, String flash) {
        DeploymentLine d = detail.deployment();
        boolean active = StatusHtml.active(d);
        StringBuilder h = Html.head("Roboflare · deployment " + d.id(), active ? REFRESH_SECONDS : 0);
        v.header(h, "deployment · updated " + time(now) + (active ? " · refreshes every " + REFRESH_SECONDS + " s"
                : ""));
        h.append("<main>");
        if (flash != null) {
            h.append("<div class=\"flash\" id=\"flash\">").append(esc(flash)).append("</div>");
        }
        h.append("<div class=\"card\" id=\"deployment\" data-id=\"").append(esc(d.id())).append("\" data-active=\"")
                .append(active).append("\"><h3>release ").append(esc(d.semver())).append(" → ")
                .append(d.targetKind().wire()).append(" ").append(esc(d.targetName())).append("</h3>")
                .append("<div class=\"muted small\">created ").append(time(d.createdAt()))
                .append(d.scheduledAt() == null ? "" : " · scheduled for " + time(d.scheduledAt()))
                .append(" · ").append(StatusHtml.badge(d.status())).append(" · <code>").append(esc(d.id()))
                .append("</code></div>");
        StatusHtml.bar(h, d.counts());
        if (v.canAct() && active) {
            v.cancelButton(h, d.id());
        }
        h.append("</div><h2>Robots</h2><table id=\"robots\"><tr><th>Robot</th><th>Status</th><th>Since</th>")
                .append("<th>Now / detail</th></tr>");
        for (RobotPart r : detail.robots()) {
            h.append("<tr class=\"part\" data-robot=\"").append(esc(r.robotName())).append("\" data-status=\"")
                    .append(r.status().wire()).append("\"><td><b>").append(esc(r.robotName())).append("</b></td><td>")
                    .append(StatusHtml.badge(r.status())).append("</td><td class=\"small\">")
                    .append(time(r.updatedAt())).append("</td><td>");
            StatusHtml.progress(h, RobotRegistry.liveProgress(r.agentProgress(), r.agentWaiting(), r.deploymentId(), r.status()),
                    r.agentProgressAt(), now);
            if (r.detail() != null) {
                h.append("<span class=\"small\">").append(esc(r.detail().strip())).append("</span>");
            }
            h.append("</td></tr>");
        }
        h.append("</table>");
        int shown = detail.robots().size();
        int total = d.counts().values().stream().mapToInt(Integer::intValue).sum();
        if (shown < total) {
            h.append("<p class=\"muted small\">").append(shown).append(" of ").append(total)
                    .append(" robots shown, those with a failure or still applying first.</p>");
        }
        h.append("</main></body></html>");
        return h.toString();
    }
}
