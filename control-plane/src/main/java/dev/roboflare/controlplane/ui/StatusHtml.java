package dev.roboflare.controlplane.ui;

import dev.roboflare.protocol.DeploymentStatus;
import dev.roboflare.protocol.OperatorApi;
import dev.roboflare.protocol.TargetKind;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/** Server-rendered HTML of the status page: no scripts, no external assets, refreshes itself every 10 s. */
final class StatusHtml {
    /** A robot whose agent has not polled for this long (or never) is highlighted. */
    static final Duration STALE_AFTER = Duration.ofMinutes(10);
    /** A robot clock this far off the control plane's is highlighted (TLS and signed URLs start failing). */
    static final Duration SKEW_WARN = Duration.ofMinutes(1);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private static final String STYLE = """
            :root { --applied:#2e9d57; --dispatched:#2f6fd6; --queued:#9aa3ad; --failed:#d33a3a;
                    --rolled_back:#e08a1e; --ink:#1d2430; --muted:#66707c; --line:#e3e6ea; }
            * { box-sizing: border-box; }
            body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
                   margin: 0; background: #f6f7f9; }
            header { background: #1d2430; color: #fff; padding: 12px 24px; display: flex; align-items: baseline;
                     gap: 16px; }
            header h1 { font-size: 18px; margin: 0; }
            header .meta { color: #b8c0ca; font-size: 12px; flex: 1; }
            header form { margin: 0; }
            header button { background: none; border: 1px solid #56606c; color: #dfe3e8; border-radius: 4px;
                            padding: 2px 10px; cursor: pointer; }
            main { padding: 16px 24px 32px; max-width: 1200px; }
            h2 { font-size: 15px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted);
                 margin: 24px 0 8px; }
            section.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); gap: 12px; }
            .card { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 12px 14px; }
            .card h3 { margin: 0 0 4px; font-size: 15px; }
            .muted { color: var(--muted); }
            .small { font-size: 12px; }
            table { width: 100%; border-collapse: collapse; background: #fff; border: 1px solid var(--line);
                    border-radius: 6px; }
            th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
            th, td:nth-child(-n+3) { white-space: nowrap; }
            th { font-size: 12px; color: var(--muted); font-weight: 600; background: #fafbfc; }
            .bar { display: flex; height: 12px; border-radius: 6px; overflow: hidden; background: #eef0f3;
                   min-width: 160px; margin: 4px 0; }
            .bar span { display: block; height: 100%; }
            .s-applied { background: var(--applied); } .s-dispatched { background: var(--dispatched); }
            .s-queued { background: var(--queued); } .s-failed { background: var(--failed); }
            .s-rolled_back { background: var(--rolled_back); }
            .badge { display: inline-block; padding: 0 7px; border-radius: 9px; color: #fff; font-size: 12px;
                     line-height: 18px; white-space: nowrap; }
            .legend { font-size: 12px; color: var(--muted); }
            .legend i { display: inline-block; width: 9px; height: 9px; border-radius: 2px; margin: 0 3px 0 8px; }
            tr.stale td { background: #fff4e5; }
            .stale-tag { color: #a85a00; font-weight: 600; }
            .history { margin: 0; padding: 0; list-style: none; }
            .history li { padding: 2px 0; }
            .outcome { display: block; margin: 2px 0 4px 0; padding: 4px 8px; border-left: 3px solid var(--rolled_back);
                       background: #fff8ef; font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace;
                       white-space: pre-wrap; color: #4a3a20; }
            .outcome.failed { border-left-color: var(--failed); background: #fdf1f1; color: #5a2424; }
            code { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; color: var(--muted); }
            """;

    private StatusHtml() {
    }

    static String render(StatusSnapshot s) {
        StringBuilder h = new StringBuilder(16_384);
        h.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"refresh\" content=\"10\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>Roboflare fleet status</title><style>").append(STYLE).append("</style></head><body>");
        h.append("<header><h1>Roboflare fleet status</h1><span class=\"meta\">")
                .append(plural(s.robots().size(), "robot")).append(" · ").append(plural(s.fleets().size(), "fleet"))
                .append(" · updated ")
                .append(TIME.format(s.now())).append(" · refreshes every 10 s</span>")
                .append("<form method=\"post\" action=\"/ui/logout\"><button>Log out</button></form></header><main>");
        fleets(h, s);
        deployments(h, s);
        robots(h, s);
        h.append("</main></body></html>");
        return h.toString();
    }

    private static void fleets(StringBuilder h, StatusSnapshot s) {
        h.append("<h2>Fleets</h2>");
        if (s.fleets().isEmpty()) {
            h.append("<p class=\"muted\">No fleets yet.</p>");
            return;
        }
        h.append("<section class=\"cards\" id=\"fleets\">");
        for (StatusSnapshot.FleetView f : s.fleets()) {
            h.append("<div class=\"card fleet\" data-fleet=\"").append(esc(f.fleet().name())).append("\"><h3>")
                    .append(esc(f.fleet().name())).append("</h3><div class=\"muted small\">")
                    .append(f.fleet().robotIds().size()).append(" robots: ");
            h.append(esc(String.join(", ", f.fleet().robotIds().stream()
                    .map(id -> s.robotNames().getOrDefault(id, id)).toList()))).append("</div>");
            if (f.recent().isEmpty()) {
                h.append("<p class=\"muted small\">No fleet deployments yet.</p>");
            }
            for (StatusSnapshot.DeploymentView d : f.recent()) {
                h.append("<div class=\"small\" style=\"margin-top:8px\">release <b>")
                        .append(esc(semver(s, d.deployment().releaseId()))).append("</b> · ")
                        .append(TIME.format(d.deployment().createdAt())).append(d.finished() ? "" : " · in progress")
                        .append("</div>");
                bar(h, d);
            }
            h.append("</div>");
        }
        h.append("</section>");
    }

    private static void deployments(StringBuilder h, StatusSnapshot s) {
        h.append("<h2>Recent deployments</h2>");
        if (s.deployments().isEmpty()) {
            h.append("<p class=\"muted\">No deployments yet.</p>");
            return;
        }
        h.append("<table id=\"deployments\"><tr><th>Created</th><th>Release</th><th>Target</th><th>Progress</th>")
                .append("<th>Deployment</th></tr>");
        for (StatusSnapshot.DeploymentView d : s.deployments()) {
            OperatorApi.Deployment dep = d.deployment();
            String target = dep.targetKind() == TargetKind.ROBOT ? s.robotNames().getOrDefault(dep.targetId(), dep.targetId())
                    : s.fleets().stream().filter(f -> f.fleet().id().equals(dep.targetId())).map(f -> f.fleet().name())
                    .findFirst().orElse(dep.targetId());
            h.append("<tr class=\"deployment\" data-id=\"").append(esc(dep.id())).append("\"><td>")
                    .append(TIME.format(dep.createdAt()))
                    .append(dep.scheduledAt() != null ? "<div class=\"muted small\">scheduled for "
                            + TIME.format(dep.scheduledAt()) + "</div>" : "")
                    .append("</td><td>").append(esc(semver(s, dep.releaseId()))).append("</td><td>")
                    .append(dep.targetKind().wire()).append(" <b>").append(esc(target)).append("</b></td><td>");
            bar(h, d);
            h.append("</td><td><code>").append(esc(dep.id())).append("</code></td></tr>");
        }
        h.append("</table>");
    }

    private static void robots(StringBuilder h, StatusSnapshot s) {
        h.append("<h2>Robots</h2>");
        if (s.robots().isEmpty()) {
            h.append("<p class=\"muted\">No robots enrolled yet.</p>");
            return;
        }
        h.append("<p class=\"muted small\">Robots whose agent has not polled for ").append(STALE_AFTER.toMinutes())
                .append(" min, or never, are highlighted.</p>");
        h.append("<table id=\"robots\"><tr><th>Robot</th><th>Last seen</th><th>Running</th>")
                .append("<th>History (newest first)</th></tr>");
        for (StatusSnapshot.RobotView r : s.robots()) {
            Instant seen = r.robot().lastSeenAt();
            boolean stale = seen == null || Duration.between(seen, s.now()).compareTo(STALE_AFTER) > 0;
            h.append("<tr class=\"robot").append(stale ? " stale" : "").append("\" data-robot=\"")
                    .append(esc(r.robot().name())).append("\"><td><b>").append(esc(r.robot().name())).append("</b>")
                    .append(r.fleetNames().isEmpty() ? "" : "<div class=\"muted small\">"
                            + esc(String.join(", ", r.fleetNames())) + "</div>")
                    .append("</td><td>").append(stale ? "<span class=\"stale-tag\">" : "<span>")
                    .append(seen == null ? "never seen" : stale ? "not seen for " + ago(seen, s.now())
                            : "seen " + ago(seen, s.now()) + " ago")
                    .append("</span>");
            if (seen != null) {
                h.append("<div class=\"muted small\">").append(TIME.format(seen)).append("</div>");
            }
            agentReport(h, r.robot());
            h.append("</td><td>").append(r.robot().currentReleaseSemver() == null ? "<span class=\"muted\">nothing yet</span>"
                    : "<b>" + esc(r.robot().currentReleaseSemver()) + "</b>");
            if (r.robot().firmwareReleaseSemver() != null) {
                h.append("<div class=\"muted small\">firmware ").append(esc(r.robot().firmwareReleaseSemver()))
                        .append("</div>");
            }
            h.append("</td><td><ul class=\"history\">");
            if (r.history().isEmpty()) {
                h.append("<li class=\"muted\">no deployments</li>");
            }
            for (StatusSnapshot.HistoryEntry e : r.history()) {
                OperatorApi.Deployment d = e.deployment();
                h.append("<li>").append(badge(d.status())).append(" <b>").append(esc(semver(s, d.releaseId())))
                        .append("</b> <span class=\"muted small\">").append(TIME.format(d.createdAt()))
                        .append(d.parentId() != null ? " · via fleet deployment" : "").append("</span>");
                if (e.outcome() != null) {
                    h.append("<span class=\"outcome").append(d.status() == DeploymentStatus.FAILED ? " failed" : "")
                            .append("\">").append(esc(e.outcome().strip())).append("</span>");
                }
                h.append("</li>");
            }
            h.append("</ul></td></tr>");
        }
        h.append("</table>");
    }

    /** The clock skew and metrics summary of the robot's latest poll, and events its agent numbered but never sent. */
    private static void agentReport(StringBuilder h, OperatorApi.Robot r) {
        Long skew = r.clockSkewMs();
        if (skew != null) {
            boolean off = Math.abs(skew) >= SKEW_WARN.toMillis();
            String amount = String.format(java.util.Locale.ROOT, "%.1f s", Math.abs(skew) / 1000.0);
            h.append("<div class=\"small skew").append(off ? " stale-tag" : " muted").append("\">clock ")
                    .append(skew == 0 ? "in sync" : amount + (skew > 0 ? " behind" : " ahead")).append("</div>");
        }
        if (r.agentMetrics() != null) {
            h.append("<div class=\"muted small metrics\">").append(esc(r.agentMetrics())).append("</div>");
        }        if (r.missingEventSeqs() != null && r.missingEventSeqs() > 0) {
            h.append("<div class=\"small stale-tag seq-gap\">").append(r.missingEventSeqs())
                    .append(r.missingEventSeqs() == 1 ? " event" : " events").append(" not received (up to #")
                    .append(r.lastEventSeq()).append(")</div>");
        }
    }

    private static void bar(StringBuilder h, StatusSnapshot.DeploymentView d) {
        h.append("<div class=\"bar\" title=\"").append(d.robots()).append(" robots\">");
        for (DeploymentStatus st : order()) {
            int n = d.counts().getOrDefault(st, 0);
            if (n > 0) {
                h.append("<span class=\"s-").append(st.wire()).append("\" data-status=\"").append(st.wire())
                        .append("\" data-count=\"").append(n).append("\" style=\"width:")
                        .append(String.format(java.util.Locale.ROOT, "%.2f", 100.0 * n / d.robots())).append("%\"></span>");
            }
        }
        h.append("</div><div class=\"legend\">");
        for (DeploymentStatus st : order()) {
            int n = d.counts().getOrDefault(st, 0);
            if (n > 0) {
                h.append("<i class=\"s-").append(st.wire()).append("\"></i>").append(n).append(' ').append(st.wire());
            }
        }
        h.append("</div>");
    }

    private static DeploymentStatus[] order() {
        return new DeploymentStatus[] {DeploymentStatus.APPLIED, DeploymentStatus.ROLLED_BACK, DeploymentStatus.FAILED,
                DeploymentStatus.DISPATCHED, DeploymentStatus.QUEUED};
    }

    private static String badge(DeploymentStatus st) {
        return "<span class=\"badge s-" + st.wire() + "\">" + st.wire().replace('_', ' ') + "</span>";
    }

    private static String semver(StatusSnapshot s, String releaseId) {
        return s.releaseSemvers().getOrDefault(releaseId, releaseId);
    }

    private static String plural(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }

    static String ago(Instant t, Instant now) {
        Duration d = Duration.between(t, now);
        if (d.toSeconds() < 90) {
            return Math.max(0, d.toSeconds()) + " s";
        }
        if (d.toMinutes() < 120) {
            return d.toMinutes() + " min";
        }
        if (d.toHours() < 48) {
            return d.toHours() + " h";
        }
        return d.toDays() + " days";
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    static String loginForm(String error) {
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Roboflare · log in</title><style>"
                + STYLE + "</style></head><body><header><h1>Roboflare fleet status</h1></header><main>"
                + "<div class=\"card\" style=\"max-width:460px;margin-top:24px\"><h3>Operator token</h3>"
                + (error == null ? "" : "<p class=\"stale-tag\">" + esc(error) + "</p>")
                + "<form method=\"post\" action=\"/ui/login\"><p class=\"muted small\">The token is in the control "
                + "plane's data dir, file <code>operator-token</code>. The page is read-only.</p>"
                + "<input type=\"password\" name=\"token\" autocomplete=\"current-password\" style=\"width:100%;"
                + "padding:6px\" autofocus> <p><button type=\"submit\">Log in</button></p></form></div>"
                + "</main></body></html>";
    }
}
