package dev.roboflare.planner.cloudfront;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Optional;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;

class SdkDistributionLookupTest {
    private static final AwsCredentialsProvider TEST_CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret"));

    private static String page(String marker, boolean truncated, String nextMarker, String... summaries) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<DistributionList xmlns=\"http://cloudfront.amazonaws.com/doc/2020-05-31/\">"
                + "<Marker>" + marker + "</Marker>"
                + (nextMarker == null ? "" : "<NextMarker>" + nextMarker + "</NextMarker>")
                + "<MaxItems>100</MaxItems><IsTruncated>" + truncated + "</IsTruncated>"
                + "<Quantity>" + summaries.length + "</Quantity><Items>" + String.join("", summaries) + "</Items>"
                + "</DistributionList>";
    }

    private static String summary(String id, String... aliases) {
        StringBuilder items = new StringBuilder();
        for (String alias : aliases) {
            items.append("<CNAME>").append(alias).append("</CNAME>");
        }
        return "<DistributionSummary><Id>" + id + "</Id><ARN>arn:aws:cloudfront::123456789012:distribution/" + id + "</ARN>"
                + "<Status>Deployed</Status><DomainName>" + id.toLowerCase() + ".cloudfront.net</DomainName>"
                + "<Aliases><Quantity>" + aliases.length + "</Quantity>"
                + (aliases.length == 0 ? "" : "<Items>" + items + "</Items>") + "</Aliases>"
                + "<Enabled>true</Enabled></DistributionSummary>";
    }

    @Test
    void findsTheDistributionByAliasAcrossPagesWithReadOnlyCalls() throws Exception {
        try (MockWebServer aws = new MockWebServer()) {
            aws.enqueue(new MockResponse().setHeader("Content-Type", "text/xml")
                    .setBody(page("", true, "E1PAGE", summary("E1OTHER", "docs.opentrons.com"), summary("E0NOALIAS"))));
            aws.enqueue(new MockResponse().setHeader("Content-Type", "text/xml")
                    .setBody(page("E1PAGE", false, null, summary("E2FLEXDEV", "ot3-development.builds.opentrons.com"))));
            aws.start();

            Optional<String> id = new SdkDistributionLookup(TEST_CREDENTIALS, Optional.of(URI.create(aws.url("/").toString())))
                    .idForAlias("ot3-development.builds.opentrons.com");

            assertThat(id).contains("E2FLEXDEV");
            RecordedRequest first = aws.takeRequest();
            RecordedRequest second = aws.takeRequest();
            assertThat(first.getMethod()).isEqualTo("GET");
            assertThat(first.getPath()).startsWith("/2020-05-31/distribution");
            assertThat(second.getMethod()).isEqualTo("GET");
            assertThat(second.getRequestUrl().queryParameter("Marker")).isEqualTo("E1PAGE");
            assertThat(first.getHeader("Authorization")).contains("AKIDTEST");
        }
    }

    @Test
    void missingCredentialsAreALookupFailureNotACrash() {
        AwsCredentialsProvider none = () -> {
            throw SdkClientException.create("Unable to load credentials from any of the providers in the chain");
        };
        assertThatThrownBy(() -> new SdkDistributionLookup(none, Optional.of(URI.create("http://127.0.0.1:9")))
                .idForAlias("ot2-development.builds.opentrons.com"))
                .isInstanceOf(DistributionLookup.LookupFailedException.class)
                .hasMessageContaining("Unable to load credentials");
    }
}
