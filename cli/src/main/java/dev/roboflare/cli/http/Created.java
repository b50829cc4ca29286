package dev.roboflare.cli.http;

/**
 * An answer and whether the server created something, or returned what already existed: 200 for uploads of known
 * bytes, or an Idempotency-Key replay (the original 201 again, marked {@code Idempotent-Replayed: true}).
 */
public record Created<T>(T value, boolean created) {
}
