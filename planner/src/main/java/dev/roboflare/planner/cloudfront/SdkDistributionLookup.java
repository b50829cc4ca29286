package dev.roboflare.planner.cloudfront;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.cloudfront.CloudFrontClientBuilder;
import software.amazon.awssdk.services.cloudfront.model.DistributionList;
import software.amazon.awssdk.services.cloudfront.model.DistributionSummary;
import software.amazon.awssdk.services.cloudfront.model.ListDistributionsRequest;

/**
 * Read-only lookup with the AWS SDK: pages through {@code ListDistributions} and returns the first
 * distribution listing the host among its aliases. Credentials come from the default provider chain
 * with the given profile. This class has no call that changes anything in AWS.
 */
public final class SdkDistributionLookup implements DistributionLookup {
    private static final int MAX_PAGES = 20;

    private final AwsCredentialsProvider credentials;
    private final Optional<URI> endpoint;

    public SdkDistributionLookup(AwsCredentialsProvider credentials, Optional<URI> endpoint) {
        this.credentials = credentials;
        this.endpoint = endpoint;
    }

    /** The default chain (environment, system properties, shared config/credentials files, SSO, ...) for {@code profile}. */
    public static SdkDistributionLookup forProfile(String profile) {
        return new SdkDistributionLookup(DefaultCredentialsProvider.builder().profileName(profile).build(), Optional.empty());
    }

    @Override
    public Optional<String> idForAlias(String alias) {
        CloudFrontClientBuilder builder = CloudFrontClient.builder()
                .region(Region.AWS_GLOBAL)
                .credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(20)))
                .overrideConfiguration(config -> config.apiCallTimeout(Duration.ofSeconds(45)));
        endpoint.ifPresent(builder::endpointOverride);
        try (CloudFrontClient cloudFront = builder.build()) {
            String marker = null;
            for (int page = 0; page < MAX_PAGES; page++) {
                DistributionList list = cloudFront.listDistributions(ListDistributionsRequest.builder().marker(marker).build())
                        .distributionList();
                if (list == null) {
                    return Optional.empty();
                }
                for (DistributionSummary distribution : list.items()) {
                    if (distribution.aliases() != null && distribution.aliases().items().stream().anyMatch(alias::equalsIgnoreCase)) {
                        return Optional.of(distribution.id());
                    }
                }
                if (!Boolean.TRUE.equals(list.isTruncated()) || list.nextMarker() == null) {
                    return Optional.empty();
                }
                marker = list.nextMarker();
            }
            return Optional.empty();
        } catch (SdkException e) {
            throw new LookupFailedException(firstLine(e.getMessage()), e);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown AWS error";
        }
        String line = message.lines().findFirst().orElse(message);
        // The credentials chain appends every provider's own failure: keep the headline only.
        int chain = line.indexOf(" AwsCredentialsProviderChain(");
        if (chain > 0) {
            line = line.substring(0, chain);
        }
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
