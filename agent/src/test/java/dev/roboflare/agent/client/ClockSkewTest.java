package dev.roboflare.agent.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roboflare.agent.testing.LogCapture;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.Test;

/** The skew is measured from the Date header, logged once, and sent back on the next request. */
class ClockSkewTest {
    @Test
    void aControlPlaneTwoHoursAheadIsReportedNotUsed() throws Exception {
        try (MockWebServer server = new MockWebServer(); LogCapture log = new LogCapture()) {
            String twoHoursAhead = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                    ZonedDateTime.now(ZoneOffset.UTC).plusHours(2));
            for (int i = 0; i < 2; i++) {
                server.enqueue(new MockResponse().setHeader("Date", twoHoursAhead)
                        .setBody("{\"deployments\": [], \"poll_interval_seconds\": null}"));
            }
            server.start();
            ControlPlaneClient client = new ControlPlaneClient(server.url("/").toString(), "t");
            client.poll();
            client.poll();

            long skew = client.clockSkew().skewMs();
            assertThat(skew).isBetween(7_195_000L, 7_205_000L);
            assertThat(server.takeRequest().getHeader(ClockSkew.HEADER)).isNull();
            assertThat(Long.parseLong(server.takeRequest().getHeader(ClockSkew.HEADER))).isBetween(7_195_000L, 7_205_000L);
            assertThat(log.text()).containsOnlyOnce("step=clock outcome=skew")
                    .contains("s behind the control plane's");
            client.close();
        }
    }
}
