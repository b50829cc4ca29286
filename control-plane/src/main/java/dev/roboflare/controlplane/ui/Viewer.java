package dev.roboflare.controlplane.ui;

import static dev.roboflare.controlplane.ui.Html.esc;

import dev.roboflare.protocol.TargetKind;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Who looks at a page and what they may do: {@code csrf} is the session's CSRF token (null for a page opened with a
 * bearer token); without it, or for a read-only token, no deploy, roll back or cancel control is rendered at all. Each form gets the
 * CSRF token and, where it creates a deployment, a fresh Idempotency-Key (sent twice, the form makes one).
 */
record Viewer(String tokenName, String org, String csrf, boolean readOnly) {
    boolean canAct() {
        return csrf != null && !readOnly;
    }

    void header(StringBuilder h, String meta) {
        h.append("<header><h1><a href=\"/ui\">Roboflare fleet status</a></h1><span class=\"meta\">")
                .append(esc(meta)).append(" · ").append(esc(org)).append(" · token ").append(esc(tokenName))
                .append(readOnly ? " (read-only)" : "")
                .append("</span>");
        if (canAct()) {
            h.append("<a class=\"button\" href=\"/ui/deploy\">Deploy…</a>");
        }
        if (csrf != null) {
            h.append("<form method=\"post\" action=\"/ui/logout\">");
            csrfField(h);
            h.append("<button>Log out</button></form>");
        }
        h.append("</header>");
    }

    /** The session's CSRF token as a hidden field (nothing for a page opened with a bearer token). */
    void csrfField(StringBuilder h) {
        if (csrf != null) {
            h.append("<input type=\"hidden\" name=\"csrf\" value=\"").append(esc(csrf)).append("\">");
        }
    }

    static void idempotencyKeyField(StringBuilder h) {
        h.append("<input type=\"hidden\" name=\"idempotency_key\" value=\"").append(UUID.randomUUID()).append("\">");
    }

    void deployLink(StringBuilder h, TargetKind kind, String id, String name) {
        h.append("<a class=\"deploy\" href=\"/ui/deploy?target_kind=").append(kind.wire()).append("&amp;target_id=")
                .append(esc(enc(id))).append("\" title=\"deploy a release to ").append(esc(name))
                .append("\">Deploy…</a>");
    }

    /** Roll back = deploy the previous release to the same target, at once, with the same rules. */
    void rollbackButton(StringBuilder h, TargetKind kind, String id, String releaseId, String semver) {
        h.append("<form class=\"inline rollback\" method=\"post\" action=\"/ui/deploy\">");
        csrfField(h);
        idempotencyKeyField(h);
        h.append("<input type=\"hidden\" name=\"release_id\" value=\"").append(esc(releaseId)).append("\">")
                .append("<input type=\"hidden\" name=\"target_kind\" value=\"").append(kind.wire()).append("\">")
                .append("<input type=\"hidden\" name=\"target_id\" value=\"").append(esc(id)).append("\">")
                .append("<button type=\"submit\" class=\"danger\">Roll back to ").append(esc(semver))
                .append("</button></form>");
    }

    void cancelButton(StringBuilder h, String deploymentId) {
        h.append("<form class=\"inline cancel\" method=\"post\" action=\"/ui/deployments/").append(esc(deploymentId))
                .append("/cancel\">");
        csrfField(h);
        h.append("<button type=\"submit\" class=\"danger\">Cancel</button></form>");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
