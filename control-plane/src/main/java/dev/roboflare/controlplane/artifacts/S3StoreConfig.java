package dev.roboflare.controlplane.artifacts;

import java.net.URI;

/**
 * {@code --artifact-store s3://bucket[/prefix]} and its options. {@code endpoint} null means AWS itself; with an
 * endpoint (MinIO, Ceph, s3proxy, ...) path-style addressing is the usual choice. {@code accessKeyId} and
 * {@code secretAccessKey} null mean the AWS SDK's default chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY,
 * ~/.aws/credentials, instance roles).
 */
public record S3StoreConfig(String bucket, String prefix, URI endpoint, String region, boolean pathStyle,
                            String accessKeyId, String secretAccessKey) {
    public static final String DEFAULT_REGION = "us-east-1";

    /** Parses {@code s3://bucket} or {@code s3://bucket/some/prefix}; the prefix ends with "/" unless empty. */
    public static S3StoreConfig parse(String location, URI endpoint, String region, boolean pathStyle,
                                      String accessKeyId, String secretAccessKey) {
        if (location == null || !location.startsWith("s3://") || location.length() == "s3://".length()) {
            throw new IllegalArgumentException("--artifact-store must be 'local' or s3://BUCKET[/PREFIX], got '"
                    + location + "'");
        }
        String rest = location.substring("s3://".length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1).replaceAll("^/+|/+$", "");
        if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw new IllegalArgumentException("'" + bucket + "' is not an S3 bucket name (3-63 characters: "
                    + "lower-case letters, digits, dots and hyphens)");
        }
        return new S3StoreConfig(bucket, prefix.isEmpty() ? "" : prefix + "/", endpoint,
                region == null || region.isBlank() ? DEFAULT_REGION : region, pathStyle, accessKeyId, secretAccessKey);
    }
}
