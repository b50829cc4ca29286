package dev.roboflare.controlplane.ui;

import static dev.roboflare.controlplane.ui.Html.esc;
import static dev.roboflare.controlplane.ui.Html.time;

import dev.roboflare.controlplane.fleet.RobotRegistry;
import dev.roboflare.controlplane.storage.StatusPageRows.Attention;
import dev.roboflare.controlplane.storage.StatusPageRows.DeploymentLine;
import dev.roboflare.controlplane.storage.StatusPageRows.FleetLine;
import dev.roboflare.controlplane.storage.StatusPageRows.HistoryLine;
import dev.roboflare.controlplane.storage.StatusPageRows.ReleaseLine;
import dev.roboflare.controlplane.storage.StatusPageRows.RobotLine;
import dev.roboflare.controlplane.storage.StatusPageRows.StatusFilter;
import dev.roboflare.protocol.AgentApi;
import dev.roboflare.protocol.DeploymentStatus;
import dev.roboflare.protocol.TargetKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * /ui itself, server-rendered (no scripts, no external assets, refreshes every 10 s): the fleets, the newest
 * operator deployments, and one page of robots (search form, robots needing attention first). For a read-write
 * token it adds the deploy, roll back and cancel controls; every form carries the session's CSRF token.
 */
final class StatusHtml {
    /** A robot clock this far off the control plane's is highlighted (TLS and signed URLs start failing). */
    static final Duration SKEW_WARN = Duration.ofMinutes(1);
    /** Progress older than this is shown with its age: the agent may have stopped reporting. */
    static final Duration PROGRESS_AGE_SHOWN = Duration.ofSeconds(60);

    private StatusHtml() {
    }

    static String render(StatusSnapshot s, Viewer v) {
        StringBuilder h = Html.head("Roboflare fleet status", 10);
        v.header(h, Html.plural(s.robots().total(), "robot") + (s.query().filtered() ? " found" : "") + " · "
                + Html.plural(s.fleets().size(), "fleet") + " · updated " + time(s.now()) + " · refreshes every 10 s");
        h.append("<main>");
        fleets(h, s, v);
        deployments(h, s, v);
        robots(h, s, v);
        h.append("</main></body></html>");
        return h.toString();
    }

    private static void fleets(StringBuilder h, StatusSnapshot s, Viewer v) {
        h.append("<h2>Fleets</h2>");
        if (s.fleets().isEmpty()) {
            h.append("<p class=\"muted\">No fleets yet.</p>");
            return;
        }
        h.append("<section class=\"cards\" id=\"fleets\">");
        for (FleetLine f : s.fleets()) {
            h.append("<div class=\"card fleet\" data-fleet=\"").append(esc(f.name())).append("\"><h3>")
                    .append(esc(f.name())).append("</h3><div class=\"muted small\">").append(f.robots())
                    .append(" robots: ").append(esc(String.join(", ", f.firstRobotNames())))
                    .append(f.robots() > f.firstRobotNames().size() ? ", …" : "").append("</div>");
            List<DeploymentLine> recent = s.ofFleet(f.id());
            if (recent.isEmpty()) {
                h.append("<p class=\"muted small\">No fleet deployments yet.</p>");
            }
            for (DeploymentLine d : recent.subList(0, Math.min(3, recent.size()))) {
                h.append("<div class=\"small\" style=\"margin-top:8px\">release <b>").append(esc(d.semver()))
                        .append("</b> · <a href=\"/ui/deployments/").append(esc(d.id())).append("\">")
                        .append(time(d.createdAt())).append("</a>").append(active(d) ? " · in progress" : "")
                        .append("</div>");
                bar(h, d.counts());
            }
            if (v.canAct()) {
                h.append("<div class=\"actions\" style=\"margin-top:8px\">");
                v.deployLink(h, TargetKind.FLEET, f.id(), f.name());
                s.previousOfFleet(f.id()).ifPresent(p -> v.rollbackButton(h, TargetKind.FLEET, f.id(), p.releaseId(),
                        p.semver()));
                h.append("</div>");
            }
            h.append("</div>");
        }
        h.append("</section>");
    }

    private static void deployments(StringBuilder h, StatusSnapshot s, Viewer v) {
        h.append("<h2>Recent deployments</h2>");
        if (s.deployments().isEmpty()) {
            h.append("<p class=\"muted\">No deployments yet.</p>");
            return;
        }
        h.append("<table id=\"deployments\"><tr><th>Created</th><th>Release</th><th>Target</th><th>Progress</th>")
                .append("<th>Deployment</th></tr>");
        for (DeploymentLine d : s.deployments()) {
            h.append("<tr class=\"deployment\" data-id=\"").append(esc(d.id())).append("\"><td>")
                    .append(time(d.createdAt()));
            if (d.scheduledAt() != null) {
                h.append("<div class=\"muted small\">scheduled for ").append(time(d.scheduledAt())).append("</div>");
            }
            h.append("</td><td>").append(esc(d.semver())).append("</td><td>").append(d.targetKind().wire())
                    .append(" <b>").append(esc(d.targetName())).append("</b></td><td>");
            bar(h, d.counts());
            h.append("</td><td><a href=\"/ui/deployments/").append(esc(d.id())).append("\"><code>")
                    .append(esc(d.id())).append("</code></a>");
            if (v.canAct() && active(d)) {
                h.append("<div class=\"actions\">");
                v.cancelButton(h, d.id());
                h.append("</div>");
            }
            h.append("</td></tr>");
        }
        h.append("</table>");
    }

    private static void robots(StringBuilder h, StatusSnapshot s, Viewer v) {
        h.append("<h2>Robots</h2>");
        searchForm(h, s);
        if (s.robots().robots().isEmpty()) {
            h.append("<p class=\"muted\">").append(s.query().filtered() ? "No robot matches."
                    : s.query().page() > 1 ? "No robots on this page." : "No robots enrolled yet.").append("</p>");
            pages(h, s);
            return;
        }
        h.append("<p class=\"muted small\">Robots that need attention come first: a failed or rolled back newest "
                + "deployment, an agent that has not polled for ").append(StatusReads.STALE_AFTER.toMinutes())
                .append(" min (or never), events that never arrived.</p>");
        h.append("<table id=\"robots\"><tr><th>Robot</th><th>Last seen</th><th>Running</th>")
                .append("<th>History (newest first)</th></tr>");
        for (RobotLine r : s.robots().robots()) {
            robot(h, s, v, r);
        }
        h.append("</table>");
        pages(h, s);
    }

    private static void robot(StringBuilder h, StatusSnapshot s, Viewer v, RobotLine r) {
        Instant seen = r.lastSeenAt();
        boolean stale = seen == null || Duration.between(seen, s.now()).compareTo(StatusReads.STALE_AFTER) > 0;
        h.append("<tr class=\"robot").append(stale ? " stale" : "")
                .append(r.attention() == Attention.FAILED ? " failing" : "").append("\" data-robot=\"")
                .append(esc(r.name())).append("\"><td><b>").append(esc(r.name())).append("</b>");
        if (r.fleetNames() != null) {
            h.append("<div class=\"muted small\">").append(esc(r.fleetNames())).append("</div>");
        }
        if (v.canAct()) {
            h.append("<div class=\"actions\">");
            v.deployLink(h, TargetKind.ROBOT, r.id(), r.name());
            s.previousOfRobot(r.id(), r.currentReleaseId()).ifPresent(p -> v.rollbackButton(h, TargetKind.ROBOT,
                    r.id(), p.releaseId(), p.semver()));
            h.append("</div>");
        }
        h.append("</td><td>").append(stale ? "<span class=\"stale-tag\">" : "<span>")
                .append(seen == null ? "never seen" : stale ? "not seen for " + Html.ago(seen, s.now())
                        : "seen " + Html.ago(seen, s.now()) + " ago").append("</span>");
        if (seen != null) {
            h.append("<div class=\"muted small\">").append(time(seen)).append("</div>");
        }
        agentReport(h, r);
        h.append("</td><td>").append(r.currentSemver() == null ? "<span class=\"muted\">nothing yet</span>"
                : "<b>" + esc(r.currentSemver()) + "</b>");
        if (r.firmwareSemver() != null) {
            h.append("<div class=\"muted small\">firmware ").append(esc(r.firmwareSemver())).append("</div>");
        }
        progress(h, RobotRegistry.liveProgress(r.agentProgress(), r.agentWaiting(), r.lastDeploymentId(), r.lastStatus()),
                r.agentProgressAt(), s.now());
        h.append("</td><td><ul class=\"history\">");
        List<HistoryLine> history = s.history().getOrDefault(r.id(), List.of());
        if (history.isEmpty()) {
            h.append("<li class=\"muted\">no deployments</li>");
        }
        for (HistoryLine e : history) {
            h.append("<li>").append(badge(e.status())).append(" <b>").append(esc(e.semver()))
                    .append("</b> <span class=\"muted small\">").append(time(e.createdAt()))
                    .append(e.parentId() != null ? " · via fleet deployment" : "").append("</span>");
            if ((e.status() == DeploymentStatus.ROLLED_BACK || e.status() == DeploymentStatus.FAILED)
                    && e.detail() != null) {
                h.append("<span class=\"outcome").append(e.status() == DeploymentStatus.FAILED ? " failed" : "")
                        .append("\">").append(esc(e.detail().strip())).append("</span>");
            }
            h.append("</li>");
        }
        h.append("</ul></td></tr>");
    }

    /** The live phase of a dispatched deployment, as the robot's agent last reported it with a poll. */
    static void progress(StringBuilder h, AgentApi.Progress p, Instant at, Instant now) {
        if (p == null) {
            return;
        }
        h.append("<div class=\"progress\" data-phase=\"").append(esc(p.phase())).append("\">").append(esc(p.text(now)));
        if (p.done() != null && p.total() != null && p.total() > 0) {
            h.append(" <meter min=\"0\" max=\"").append(p.total()).append("\" value=\"").append(p.done())
                    .append("\"></meter>");
        }
        if (at != null && Duration.between(at, now).compareTo(PROGRESS_AGE_SHOWN) > 0) {
            h.append(" <span class=\"muted\">(reported ").append(Html.ago(at, now)).append(" ago)</span>");
        }
        h.append("</div>");
    }

    private static void searchForm(StringBuilder h, StatusSnapshot s) {
        StatusQuery q = s.query();
        h.append("<form class=\"filters\" method=\"get\" action=\"/ui\" id=\"search\"><label>Name<input name=\"q\" "
                + "value=\"").append(esc(q.name())).append("\" placeholder=\"part of a name\"></label>");
        h.append("<label>Fleet<select name=\"fleet\"><option value=\"\">any</option>");
        for (FleetLine f : s.fleets()) {
            option(h, f.id(), f.name(), f.id().equals(q.fleetId()));
        }
        h.append("</select></label><label>Status<select name=\"status\"><option value=\"\">any</option>");
        for (StatusFilter f : StatusFilter.values()) {
            option(h, f.wire(), f.label, f == q.status());
        }
        h.append("</select></label><label>Release (running or newest)<select name=\"release\">")
                .append("<option value=\"\">any</option>");
        for (ReleaseLine r : s.releases()) {
            option(h, r.id(), r.artifactName() + " " + r.semver(), r.id().equals(q.releaseId()));
        }
        h.append("</select></label><button type=\"submit\">Search</button>");
        if (q.filtered()) {
            h.append(" <a href=\"/ui\">clear</a>");
        }
        h.append("</form>");
    }

    static void option(StringBuilder h, String value, String label, boolean selected) {
        h.append("<option value=\"").append(esc(value)).append('"').append(selected ? " selected" : "").append('>')
                .append(esc(label)).append("</option>");
    }

    private static void pages(StringBuilder h, StatusSnapshot s) {
        int total = s.robots().total();
        int page = s.query().page();
        int last = Math.max(1, (total + StatusReads.PAGE_SIZE - 1) / StatusReads.PAGE_SIZE);
        if (last == 1 && page == 1) {
            return;
        }
        int from = (page - 1) * StatusReads.PAGE_SIZE + 1;
        h.append("<nav class=\"pages\" id=\"pages\"><span>robots ").append(Math.min(from, total)).append('–')
                .append(Math.min(total, page * StatusReads.PAGE_SIZE)).append(" of ").append(total).append("</span>");
        if (page > 1) {
            h.append("<a rel=\"prev\" href=\"").append(esc(s.query().href(page - 1))).append("\">← previous</a>");
        }
        h.append("<span>page ").append(page).append(" of ").append(last).append("</span>");
        if (page < last) {
            h.append("<a rel=\"next\" href=\"").append(esc(s.query().href(page + 1))).append("\">next →</a>");
        }
        h.append("</nav>");
    }

    /** The clock skew and metrics summary of the robot's latest poll, and events its agent numbered but never sent. */
    private static void agentReport(StringBuilder h, RobotLine r) {
        Long skew = r.clockSkewMs();
        if (skew != null) {
            boolean off = Math.abs(skew) >= SKEW_WARN.toMillis();
            String amount = String.format(Locale.ROOT, "%.1f s", Math.abs(skew) / 1000.0);
            h.append("<div class=\"small skew").append(off ? " stale-tag" : " muted").append("\">clock ")
                    .append(skew == 0 ? "in sync" : amount + (skew > 0 ? " behind" : " ahead")).append("</div>");
        }
        if (r.agentMetrics() != null) {
            h.append("<div class=\"muted small metrics\">").append(esc(r.agentMetrics())).append("</div>");
        }
        if (r.missingEventSeqs() > 0) {
            h.append("<div class=\"small stale-tag seq-gap\">").append(r.missingEventSeqs())
                    .append(r.missingEventSeqs() == 1 ? " event" : " events").append(" not received (up to #")
                    .append(r.lastEventSeq()).append(")</div>");
        }
    }

    /** Queued or dispatched robots left (or the deployment itself still queued): it can be cancelled. */
    static boolean active(DeploymentLine d) {
        return d.status() == DeploymentStatus.QUEUED
                || d.counts().getOrDefault(DeploymentStatus.QUEUED, 0) + d.counts().getOrDefault(
                DeploymentStatus.DISPATCHED, 0) > 0;
    }

    static void bar(StringBuilder h, Map<DeploymentStatus, Integer> counts) {
        int robots = counts.values().stream().mapToInt(Integer::intValue).sum();
        h.append("<div class=\"bar\" title=\"").append(robots).append(" robots\">");
        for (DeploymentStatus st : ORDER) {
            int n = counts.getOrDefault(st, 0);
            if (n > 0) {
                h.append("<span class=\"s-").append(st.wire()).append("\" data-status=\"").append(st.wire())
                        .append("\" data-count=\"").append(n).append("\" style=\"width:")
                        .append(String.format(Locale.ROOT, "%.2f", 100.0 * n / robots)).append("%\"></span>");
            }
        }
        h.append("</div><div class=\"legend\">");
        for (DeploymentStatus st : ORDER) {
            int n = counts.getOrDefault(st, 0);
            if (n > 0) {
                h.append("<i class=\"s-").append(st.wire()).append("\"></i>").append(n).append(' ').append(st.wire());
            }
        }
        h.append("</div>");
    }

    private static final List<DeploymentStatus> ORDER = List.of(DeploymentStatus.APPLIED, DeploymentStatus.ROLLED_BACK,
            DeploymentStatus.FAILED, DeploymentStatus.DISPATCHED, DeploymentStatus.QUEUED);

    static String badge(DeploymentStatus st) {
        return "<span class=\"badge s-" + st.wire() + "\">" + st.wire().replace('_', ' ') + "</span>";
    }
}
