package dev.roboflare.cli.http;

import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Response;

/** Adds {@code Authorization: Bearer <operator token>} to every call. */
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
