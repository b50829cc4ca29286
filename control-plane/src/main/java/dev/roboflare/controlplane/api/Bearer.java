package dev.roboflare.controlplane.api;

import io.javalin.http.Context;
import java.util.Locale;

/** The token from {@code Authorization: Bearer <token>}, or null. */
public final class Bearer {
    private Bearer() {
    }

    public static String token(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || !header.toLowerCase(Locale.ROOT).startsWith("bearer ")) {
            return null;
        }
        String token = header.substring("bearer ".length()).trim();
        return token.isEmpty() ? null : token;
    }
}
