package dev.roboflare.controlplane.ui;

/** The operator-token form of /ui/login, with an error line after a refused token. */
final class LoginPage {
    private LoginPage() {
    }

    static String render(String error) {
        return Html.head("Roboflare · log in", 0)
                .append("<header><h1>Roboflare fleet status</h1></header><main>")
                .append("<div class=\"card\" style=\"max-width:460px;margin-top:24px\"><h3>Operator token</h3>")
                .append(error == null ? "" : "<p class=\"stale-tag\">" + Html.esc(error) + "</p>")
                .append("<form method=\"post\" action=\"/ui/login\"><p class=\"muted small\">The token is in the "
                        + "control plane's data dir, file <code>operator-token</code>, or one from "
                        + "<code>POST /api/operator-tokens</code>. A read-only token shows the page without its "
                        + "deploy, cancel and roll back buttons.</p>")
                .append("<input type=\"password\" name=\"token\" autocomplete=\"current-password\" style=\"width:100%;"
                        + "padding:6px\" autofocus> <p><button type=\"submit\">Log in</button></p></form></div>")
                .append("</main></body></html>").toString();
    }
}
