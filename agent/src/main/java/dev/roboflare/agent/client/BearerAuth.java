package dev.roboflare.agent.client;

import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Response;

/** Adds the robot token to control-plane API calls (signed download URLs need none, so they never get it). */
final class BearerAuth implements Interceptor {
    private final String token;

    BearerAuth(String token) {
        this.token = token;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        return chain.proceed(chain.request().newBuilder().header("Authorization", "Bearer " + token).build());
    }
}
