package dev.roboflare.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Debian's headless Chromium driven over the Chrome DevTools Protocol (its WebSocket, with the JDK's own client):
 * open a page, fill and submit its forms as a person would (the page itself runs no scripts; DevTools' evaluation
 * does), read the DOM, take a screenshot. One browser with a fresh profile, so the session cookie lives between
 * pages like in a real browser.
 */
final class HeadlessChromium implements AutoCloseable {
    static final String BINARY = "/usr/bin/chromium";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

    HeadlessChromium(Path work, int width, int height) throws Exception {
        if (!Files.isExecutable(Path.of(BINARY))) {
            throw new IllegalStateException(BINARY + " is missing: apt-get install -y chromium (scripts/test "
                    + "installs it)");
        }
        Path profile = Files.createTempDirectory(work, "chromium-profile");
        List<String> cmd = new ArrayList<>(List.of(BINARY, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", "--hide-scrollbars", "--user-data-dir=" + profile,
                "--window-size=" + width + "," + height, "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0", "about:blank"));
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(work.resolve("chromium-" + System.nanoTime() + ".log").toFile()).start();
        Path portFile = profile.resolve("DevToolsActivePort");
        waitFor(() -> Files.exists(portFile) && lines(portFile) >= 1, "Chromium's DevToolsActivePort");
        int port = Integer.parseInt(Files.readAllLines(portFile).get(0).strip());
        HttpClient http = HttpClient.newHttpClient();
        JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/json/list")).build(), HttpResponse.BodyHandlers.ofString()).body());
        String pageUrl = null;
        for (JsonNode t : targets) {
            if (t.path("type").asText().equals("page")) {
                pageUrl = t.path("webSocketDebuggerUrl").asText();
            }
        }
        if (pageUrl == null) {
            throw new IllegalStateException("Chromium shows no page target: " + targets);
        }
        socket = http.newWebSocketBuilder().buildAsync(URI.create(pageUrl), new Listener()).get(30, TimeUnit.SECONDS);
        call("Page.enable", JSON.createObjectNode());
    }

    /** Opens {@code url} and waits until the page (after any redirects) has loaded. */
    void open(String url) throws Exception {
        ObjectNode p = JSON.createObjectNode().put("url", url);
        call("Page.navigate", p);
        settle();
    }

    /** Runs {@code js} in the page (DevTools is not bound by the page's Content-Security-Policy); its value. */
    String eval(String js) throws Exception {
        JsonNode r = call("Runtime.evaluate", JSON.createObjectNode().put("expression", js)
                .put("returnByValue", true));
        if (r.has("exceptionDetails")) {
            throw new AssertionError("script failed in the page: " + r.get("exceptionDetails"));
        }
        return r.path("result").path("value").asText();
    }

    /** Clicks what {@code selector} finds (a submit button: the browser posts the form) and waits for the next page. */
    void click(String selector) throws Exception {
        String before = eval("String(performance.timeOrigin)");
        eval("document.querySelector(" + JSON.writeValueAsString(selector) + ").click()");
        waitFor(() -> {
            try {
                return !eval("String(performance.timeOrigin)").equals(before);
            } catch (Exception e) {
                return false;
            }
        }, "a new page after clicking " + selector);
        settle();
    }

    void set(String selector, String value) throws Exception {
        eval("(() => { const e = document.querySelector(" + JSON.writeValueAsString(selector) + "); e.value = "
                + JSON.writeValueAsString(value) + "; return e.value; })()");
    }

    String dom() throws Exception {
        return eval("document.documentElement.outerHTML");
    }

    String location() throws Exception {
        return eval("location.href");
    }

    void screenshot(Path png) throws Exception {
        JsonNode r = call("Page.captureScreenshot", JSON.createObjectNode().put("format", "png")
                .put("captureBeyondViewport", false));
        Files.createDirectories(png.toAbsolutePath().getParent());
        Files.write(png, Base64.getDecoder().decode(r.get("data").asText()));
    }

    private void settle() throws Exception {
        waitFor(() -> {
            try {
                return eval("document.readyState").equals("complete");
            } catch (Exception e) {
                return false; // the page is being replaced
            }
        }, "the page to load");
    }

    private JsonNode call(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
        msg.set("params", params);
        socket.sendText(JSON.writeValueAsString(msg), true).get(30, TimeUnit.SECONDS);
        JsonNode r = answer.get(60, TimeUnit.SECONDS);
        if (r.has("error")) {
            throw new IllegalStateException(method + " failed: " + r.get("error"));
        }
        return r.path("result");
    }

    private static int lines(Path p) {
        try {
            return Files.readAllLines(p).size();
        } catch (Exception e) {
            return 0;
        }
    }

    static void waitFor(BooleanSupplier done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                try {
                    JsonNode msg = JSON.readTree(text.toString());
                    CompletableFuture<JsonNode> f = msg.has("id") ? pending.remove(msg.get("id").asInt()) : null;
                    if (f != null) {
                        f.complete(msg);
                    }
                } catch (Exception e) {
                    // not an answer we wait for
                }
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }
    }

    @Override
    public void close() throws Exception {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // the browser goes anyway
        }
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
