package dev.roboflare.planner.assets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roboflare.planner.stack.ChannelHost;
import dev.roboflare.planner.stack.ReleaseTag;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Reads what the channel host publishes (seeds, "Where to find published releases"): the app
 * releases.json, the robot releases.json (source of truth for on-robot updates) and the nine
 * electron-updater YAMLs under the app folder, and says where the tag's version appears.
 */
public final class PublishedAssets {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OkHttpClient http;

    public PublishedAssets(OkHttpClient http) {
        this.http = http;
    }

    public static PublishedAssets create() {
        return new PublishedAssets(new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(10)).readTimeout(Duration.ofSeconds(30)).build());
    }

    public AssetReport check(ReleaseTag tag, ChannelHost host, String baseUrl) {
        HttpUrl base = HttpUrl.parse(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
        if (base == null) {
            throw new IllegalArgumentException("not an http(s) URL: " + baseUrl);
        }
        List<AssetCheck> checks = new ArrayList<>();
        checks.add(releasesJson("app releases.json", base.resolve(host.appDir() + "/releases.json"), tag.version()));
        checks.add(releasesJson("robot releases.json", base.resolve(host.robotDir() + "/releases.json"), tag.version()));
        for (String yaml : ChannelHost.UPDATER_YAMLS) {
            boolean expected = yaml.startsWith(tag.updaterChannel() + ".") || yaml.startsWith(tag.updaterChannel() + "-");
            checks.add(channelYaml(yaml, base.resolve(host.appDir() + "/" + yaml), tag.version(), expected));
        }
        return new AssetReport(tag, base.toString(), List.copyOf(checks));
    }

    private AssetCheck releasesJson(String artifact, HttpUrl url, String version) {
        Fetched fetched = fetch(url);
        if (fetched.problem() != null) {
            return new AssetCheck(artifact, url.toString(), true, false, fetched.problem(), List.of());
        }
        JsonNode root;
        try {
            root = JSON.readTree(fetched.body());
        } catch (IOException e) {
            return new AssetCheck(artifact, url.toString(), true, false, "not JSON: " + e.getMessage().lines().findFirst().orElse(""), List.of());
        }
        List<ReleasesManifest.Hit> hits = ReleasesManifest.find(root, version, url);
        if (hits.isEmpty()) {
            return new AssetCheck(artifact, url.toString(), true, false, version + " not listed", List.of());
        }
        List<String> urls = hits.stream().flatMap(hit -> hit.urls().stream()).distinct().toList();
        String where = String.join(", ", hits.stream().map(ReleasesManifest.Hit::where).distinct().toList());
        return new AssetCheck(artifact, url.toString(), true, true, version + " listed under " + where, urls);
    }

    private AssetCheck channelYaml(String artifact, HttpUrl url, String version, boolean expected) {
        Fetched fetched = fetch(url);
        if (fetched.problem() != null) {
            return new AssetCheck(artifact, url.toString(), expected, false, fetched.problem(), List.of());
        }
        UpdaterChannelFile file = UpdaterChannelFile.parse(fetched.body(), url);
        boolean present = file.version().map(version::equals).orElse(false);
        String detail = file.version().map(v -> present ? "points at " + v : "points at " + v + ", not " + version)
                .orElse("no version field");
        return new AssetCheck(artifact, url.toString(), expected, present, detail, present ? file.urls() : List.of());
    }

    private record Fetched(String body, String problem) {
    }

    private Fetched fetch(HttpUrl url) {
        Request request = new Request.Builder().url(url).header("Cache-Control", "no-cache").get().build();
        try (Response response = http.newCall(request).execute()) {
            if (!response.isSuccessful()) {
                return new Fetched(null, "HTTP " + response.code());
            }
            ResponseBody body = response.body();
            return new Fetched(body == null ? "" : body.string(), null);
        } catch (IOException e) {
            return new Fetched(null, "unreachable: " + e.getMessage());
        }
    }
}
