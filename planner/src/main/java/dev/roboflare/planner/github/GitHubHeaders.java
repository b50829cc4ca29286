package dev.roboflare.planner.github;

import java.io.IOException;
import java.util.Optional;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/** Adds the headers GitHub's REST API asks for, and the token when there is one. */
final class GitHubHeaders implements Interceptor {
    static final String API_VERSION = "2022-11-28";

    private final Optional<String> token;
    private final String userAgent;

    GitHubHeaders(Optional<String> token, String userAgent) {
        this.token = token;
        this.userAgent = userAgent;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request.Builder request = chain.request().newBuilder()
                .header("Accept", "application/vnd.github+json")
                .header("X-GitHub-Api-Version", API_VERSION)
                .header("User-Agent", userAgent);
        token.ifPresent(value -> request.header("Authorization", "Bearer " + value));
        return chain.proceed(request.build());
    }
}
