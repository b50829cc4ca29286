package dev.roboflare.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

/** Every error must be an RFC 9457 problem whose detail tells the caller something. */
final class ProblemAssert {
    private ProblemAssert() {
    }

    static JsonNode assertProblem(TestServer.Reply reply, int status, String detailContains) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        JsonNode p = reply.json();
        assertThat(p.get("status").asInt()).isEqualTo(status);
        assertThat(p.get("title").asText()).isNotBlank();
        assertThat(p.get("type").asText()).isNotBlank();
        assertThat(p.get("detail").asText()).containsIgnoringCase(detailContains);
        return p;
    }
}
