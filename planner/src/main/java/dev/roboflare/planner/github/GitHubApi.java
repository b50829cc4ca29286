package dev.roboflare.planner.github;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roboflare.planner.Sleeper;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The two GitHub Actions REST calls the planner makes: list workflow runs of a repository and list
 * the jobs of one run. Pages are followed through the {@code Link: <...>; rel="next"} header.
 * Rate limits are waited out by {@link RateLimitWaiter}; auth headers come from {@link GitHubHeaders}.
 */
public final class GitHubApi {
    public static final String DEFAULT_BASE_URL = "https://api.github.com";
    static final int PER_PAGE = 100;
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"next\"");
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final OkHttpClient http;
    private final HttpUrl baseUrl;

    GitHubApi(OkHttpClient http, HttpUrl baseUrl) {
        this.http = http;
        this.baseUrl = baseUrl;
    }

    public static GitHubApi create(String baseUrl, Optional<String> token, String userAgent, Clock clock, Sleeper sleeper,
                                   Consumer<String> progress) {
        HttpUrl url = HttpUrl.parse(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
        if (url == null) {
            throw new IllegalArgumentException("not an http(s) URL: " + baseUrl);
        }
        OkHttpClient http = new OkHttpClient.Builder()
                .addInterceptor(new GitHubHeaders(token, userAgent))
                .addInterceptor(new RateLimitWaiter(clock, sleeper, progress))
                .connectTimeout(Duration.ofSeconds(10))
                .readTimeout(Duration.ofSeconds(30))
                .build();
        return new GitHubApi(http, url);
    }

    /** {@code GET /repos/{owner}/{repo}/actions/runs} with the given filters, at most {@code maxPages} pages. */
    public List<WorkflowRun> workflowRuns(String ownerRepo, Map<String, String> filters, int maxPages) {
        HttpUrl.Builder first = repoUrl(ownerRepo).addPathSegments("actions/runs");
        filters.forEach(first::addQueryParameter);
        first.addQueryParameter("per_page", Integer.toString(PER_PAGE));
        List<WorkflowRun> runs = new ArrayList<>();
        HttpUrl next = first.build();
        for (int page = 0; page < maxPages && next != null; page++) {
            Page body = get(next);
            for (JsonNode run : body.json().path("workflow_runs")) {
                runs.add(JSON.convertValue(run, WorkflowRun.class));
            }
            next = body.next();
        }
        return runs;
    }

    /** {@code GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs}, every page. A 404 is a {@link GitHubException#notFound()}. */
    public List<WorkflowJob> jobs(String ownerRepo, long runId) {
        HttpUrl next = repoUrl(ownerRepo).addPathSegments("actions/runs").addPathSegment(Long.toString(runId))
                .addPathSegment("jobs").addQueryParameter("per_page", Integer.toString(PER_PAGE)).build();
        List<WorkflowJob> jobs = new ArrayList<>();
        for (int page = 0; page < 10 && next != null; page++) {
            Page body = get(next);
            for (JsonNode job : body.json().path("jobs")) {
                jobs.add(JSON.convertValue(job, WorkflowJob.class));
            }
            next = body.next();
        }
        return jobs;
    }

    private HttpUrl.Builder repoUrl(String ownerRepo) {
        HttpUrl.Builder url = baseUrl.newBuilder().addPathSegment("repos");
        for (String part : ownerRepo.split("/")) {
            url.addPathSegment(part);
        }
        return url;
    }

    private record Page(JsonNode json, HttpUrl next) {
    }

    private Page get(HttpUrl url) {
        Request request = new Request.Builder().url(url).get().build();
        try (Response response = http.newCall(request).execute()) {
            ResponseBody body = response.body();
            String text = body == null ? "" : body.string();
            if (!response.isSuccessful()) {
                throw new GitHubException(response.code(), "GitHub " + url.encodedPath() + ": HTTP " + response.code()
                        + describe(response.code(), text));
            }
            return new Page(JSON.readTree(text.isEmpty() ? "{}" : text), nextLink(response.header("Link")));
        } catch (GitHubException e) {
            throw e;
        } catch (IOException e) {
            throw new GitHubException("GitHub " + url.host() + " unreachable: " + e.getMessage(), e);
        }
    }

    static HttpUrl nextLink(String link) {
        if (link == null) {
            return null;
        }
        Matcher m = NEXT.matcher(link);
        return m.find() ? HttpUrl.parse(m.group(1)) : null;
    }

    private static String describe(int code, String body) {
        String message = "";
        try {
            message = JSON.readTree(body).path("message").asText("");
        } catch (IOException | RuntimeException ignored) {
            // not JSON: keep the status alone
        }
        String hint = switch (code) {
            case 401 -> " (the token is missing or invalid: set GITHUB_TOKEN or run gh auth login)";
            case 403 -> " (the token cannot read this repository's Actions)";
            default -> "";
        };
        return (message.isBlank() ? "" : ": " + message) + hint;
    }
}
