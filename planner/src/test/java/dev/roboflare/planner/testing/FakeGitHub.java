package dev.roboflare.planner.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import okhttp3.HttpUrl;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * GitHub's Actions REST API as documented, served from MockWebServer: "list workflow runs for a
 * repository" ({@code workflow_runs}, {@code total_count}, {@code Link} pagination) and "list jobs for a
 * workflow run" ({@code jobs}). Runs can be made to appear after some polls; job lists can answer 404
 * a few times first; the next responses can be rate limits.
 */
public final class FakeGitHub implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MockWebServer server = new MockWebServer();
    private final Map<String, List<ObjectNode>> runs = new HashMap<>();
    private final Map<Long, List<ObjectNode>> jobs = new HashMap<>();
    private final Map<Long, Integer> jobs404 = new HashMap<>();
    private final Map<String, Integer> hiddenForListCalls = new HashMap<>();
    private final Map<String, Integer> listCalls = new HashMap<>();
    private final ConcurrentLinkedQueue<Supplier<MockResponse>> upfront = new ConcurrentLinkedQueue<>();
    private final List<RecordedRequest> requests = new ArrayList<>();
    private int pageSize = 100;

    public FakeGitHub() throws IOException {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                synchronized (FakeGitHub.this) {
                    requests.add(request);
                    Supplier<MockResponse> first = upfront.poll();
                    return first != null ? first.get() : answer(request);
                }
            }
        });
        server.start();
    }

    public String url() {
        String url = server.url("/").toString();
        return url.substring(0, url.length() - 1);
    }

    /** Split run lists into pages of this size (GitHub's per_page is honoured only up to it). */
    public synchronized FakeGitHub pageSize(int size) {
        this.pageSize = size;
        return this;
    }

    public synchronized ObjectNode run(String repo, long id, String name, String event, String headBranch, String displayTitle,
                                       String createdAt) {
        ObjectNode run = JSON.createObjectNode()
                .put("id", id).put("name", name).put("display_title", displayTitle).put("event", event)
                .put("head_branch", headBranch).put("status", "in_progress").putNull("conclusion")
                .put("html_url", "https://github.com/" + repo + "/actions/runs/" + id).put("created_at", createdAt)
                .put("run_attempt", 1).put("workflow_id", 1000 + id);
        runs.computeIfAbsent(repo, r -> new ArrayList<>()).add(run);
        return run;
    }

    public synchronized void job(long runId, String name, String status, String conclusion) {
        ObjectNode job = JSON.createObjectNode().put("id", runId * 100 + jobs.getOrDefault(runId, List.of()).size())
                .put("run_id", runId).put("name", name).put("status", status)
                .put("html_url", "https://github.com/job/" + runId + "/" + name.replace(' ', '-'));
        if (conclusion == null) {
            job.putNull("conclusion");
        } else {
            job.put("conclusion", conclusion);
        }
        jobs.computeIfAbsent(runId, r -> new ArrayList<>()).add(job);
    }

    /** The jobs of this run answer 404 this many times first, as GitHub does right after a run appears. */
    public synchronized void jobsNotFoundFirst(long runId, int times) {
        jobs404.put(runId, times);
    }

    /** The run list of {@code repo} is empty for its first {@code calls} requests. */
    public synchronized void runsAppearAfter(String repo, int calls) {
        hiddenForListCalls.put(repo, calls);
    }

    public void rateLimitedNext(MockResponse response) {
        upfront.add(() -> response);
    }

    public synchronized List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    public synchronized List<HttpUrl> runListRequests(String repo) {
        return requests.stream().map(RecordedRequest::getRequestUrl)
                .filter(u -> u.encodedPath().equals("/repos/" + repo + "/actions/runs")).toList();
    }

    private MockResponse answer(RecordedRequest request) {
        HttpUrl url = request.getRequestUrl();
        List<String> path = url.pathSegments();
        if (path.size() >= 5 && path.get(0).equals("repos") && path.get(3).equals("actions") && path.get(4).equals("runs")) {
            String repo = path.get(1) + "/" + path.get(2);
            if (path.size() == 5) {
                return runList(repo, url);
            }
            if (path.size() == 7 && path.get(6).equals("jobs")) {
                return jobList(Long.parseLong(path.get(5)));
            }
        }
        return notFound();
    }

    private MockResponse runList(String repo, HttpUrl url) {
        int call = listCalls.merge(repo, 1, Integer::sum);
        List<ObjectNode> all = call <= hiddenForListCalls.getOrDefault(repo, 0) ? List.of() : runs.getOrDefault(repo, List.of());
        String branch = url.queryParameter("branch");
        String event = url.queryParameter("event");
        List<ObjectNode> matching = all.stream()
                .filter(r -> branch == null || branch.equals(r.path("head_branch").asText()))
                .filter(r -> event == null || event.equals(r.path("event").asText()))
                .toList();
        int page = url.queryParameter("page") == null ? 1 : Integer.parseInt(url.queryParameter("page"));
        int from = Math.min((page - 1) * pageSize, matching.size());
        int to = Math.min(from + pageSize, matching.size());
        ObjectNode body = JSON.createObjectNode().put("total_count", matching.size());
        ArrayNode list = body.putArray("workflow_runs");
        matching.subList(from, to).forEach(list::add);
        MockResponse response = json(200, body);
        if (to < matching.size()) {
            HttpUrl next = url.newBuilder().setQueryParameter("page", Integer.toString(page + 1)).build();
            HttpUrl last = url.newBuilder().setQueryParameter("page",
                    Integer.toString((matching.size() + pageSize - 1) / pageSize)).build();
            response.addHeader("Link", "<" + next + ">; rel=\"next\", <" + last + ">; rel=\"last\"");
        }
        return response;
    }

    private MockResponse jobList(long runId) {
        int left = jobs404.getOrDefault(runId, 0);
        if (left > 0) {
            jobs404.put(runId, left - 1);
            return notFound();
        }
        if (!jobs.containsKey(runId) && !runExists(runId)) {
            return notFound();
        }
        ObjectNode body = JSON.createObjectNode().put("total_count", jobs.getOrDefault(runId, List.of()).size());
        ArrayNode list = body.putArray("jobs");
        jobs.getOrDefault(runId, List.of()).forEach(list::add);
        return json(200, body);
    }

    private boolean runExists(long runId) {
        return runs.values().stream().flatMap(List::stream).anyMatch(r -> r.path("id").asLong() == runId);
    }

    private static MockResponse notFound() {
        return new MockResponse().setResponseCode(404).setHeader("Content-Type", "application/json")
                .setBody("{\"message\":\"Not Found\",\"documentation_url\":\"https://docs.github.com/rest\",\"status\":\"404\"}");
    }

    private static MockResponse json(int code, Object body) {
        try {
            return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json; charset=utf-8")
                    .setBody(JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        server.shutdown();
    }
}
