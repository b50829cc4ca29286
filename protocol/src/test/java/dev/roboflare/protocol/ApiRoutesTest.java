package dev.roboflare.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ApiRoutesTest {
    @Test
    void idsAreFilledInOrderAndEncodedAsOneSegmentEach() {
        assertThat(ApiRoutes.path(ApiRoutes.FLEET_ROBOT, "bay 2", "arm/3"))
                .isEqualTo("/api/fleets/bay%202/robots/arm%2F3");
        assertThat(ApiRoutes.path(ApiRoutes.AGENT_EVENTS, "3f2a-ü")).isEqualTo("/api/agent/deployments/3f2a-%C3%BC/events");
        assertThat(ApiRoutes.path(ApiRoutes.ROBOTS)).isEqualTo("/api/robots");
    }

    @Test
    void aWrongNumberOfIdsIsAProgrammingErrorNotAWrongUrl() {
        assertThatThrownBy(() -> ApiRoutes.path(ApiRoutes.FLEET_ROBOT, "only-one"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs more");
        assertThatThrownBy(() -> ApiRoutes.path(ApiRoutes.ROBOT, "a", "b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("takes 1");
    }
}
