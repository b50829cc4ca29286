package dev.roboflare.controlplane.api;

import dev.roboflare.protocol.ApiRoutes;
import io.javalin.Javalin;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * GET /api/openapi.json: the OpenAPI 3.1 description of every operator and agent route. The document is
 * docs/openapi.json, packaged into the jar at build time (control-plane/pom.xml), so the served and the published
 * one are the same file; OpenApiDocumentTest keeps it in step with the registered routes.
 */
final class OpenApiDocument {
    private static final String RESOURCE = "/api/openapi.json";

    private final byte[] document;

    OpenApiDocument() {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the class path: build with Maven "
                        + "(control-plane/pom.xml copies docs/openapi.json into the jar)");
            }
            document = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    void register(Javalin app, OperatorAuth operator) {
        app.get(ApiRoutes.OPENAPI, operator.require((ctx, op) -> ctx.contentType("application/json").result(document)));
    }
}
