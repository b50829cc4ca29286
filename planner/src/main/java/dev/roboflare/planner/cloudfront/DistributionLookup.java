package dev.roboflare.planner.cloudfront;

import java.util.Optional;

/** Finds the id of the CloudFront distribution that serves a host name (one of its alternate domain names). */
@FunctionalInterface
public interface DistributionLookup {
    /**
     * @return the id, or empty when no distribution has that alias
     * @throws LookupFailedException when AWS cannot be asked (no credentials, no network, access denied)
     */
    Optional<String> idForAlias(String alias);

    final class LookupFailedException extends RuntimeException {
        public LookupFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
