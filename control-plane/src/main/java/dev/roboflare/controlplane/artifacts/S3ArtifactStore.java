package dev.roboflare.controlplane.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Blobs in an S3-compatible bucket under {@code <prefix>sha256/<hex>}. An upload is streamed to a temp file in the
 * data dir while it is hashed (the key is the hash, so it is only known at the end), then sent with its exact
 * Content-Length; bytes already in the bucket are not sent again. Robots download with presigned GET URLs, straight
 * from the bucket (Range requests included), valid for --download-url-ttl.
 */
public final class S3ArtifactStore implements ArtifactStore, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(S3ArtifactStore.class);

    private final S3StoreConfig config;
    private final Path incoming;
    private final Duration urlTtl;
    private final S3Client s3;
    private final S3Presigner presigner;

    public S3ArtifactStore(S3StoreConfig config, Path incoming, Duration urlTtl) throws IOException {
        this.config = config;
        this.incoming = dev.roboflare.controlplane.DataDir.createPrivateDirectories(incoming);
        this.urlTtl = urlTtl;
        AwsCredentialsProvider credentials = config.accessKeyId() == null
                ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(config.accessKeyId(),
                        config.secretAccessKey()));
        S3Configuration s3Config = S3Configuration.builder().pathStyleAccessEnabled(config.pathStyle()).build();
        var client = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .region(Region.of(config.region()))
                .credentialsProvider(credentials)
                .serviceConfiguration(s3Config)
                // Checksums only where S3 requires them: not every S3-compatible server knows the newer
                // x-amz-checksum-* trailers. The object's integrity is the SHA-256 in its key, which robots verify.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        var presign = S3Presigner.builder()
                .region(Region.of(config.region()))
                .credentialsProvider(credentials)
                .serviceConfiguration(s3Config);
        if (config.endpoint() != null) {
            client.endpointOverride(config.endpoint());
            presign.endpointOverride(config.endpoint());
        }
        this.s3 = client.build();
        this.presigner = presign.build();
    }

    /** Fails start-up with an actionable message when the bucket is missing or the credentials are refused. */
    public void checkBucket() {
        try {
            s3.headBucket(b -> b.bucket(config.bucket()));
        } catch (SdkException e) {
            throw new IllegalStateException("cannot use bucket '" + config.bucket() + "'"
                    + (config.endpoint() == null ? "" : " at " + config.endpoint()) + ": " + e.getMessage()
                    + "; create it first and check the credentials (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or "
                    + "--s3-access-key-id with --s3-secret-access-key-file)", e);
        }
    }

    @Override
    public StoredBlob put(InputStream in) throws IOException {
        try (HashingSpool spool = HashingSpool.of(in, incoming, false)) {
            String sha256 = spool.sha256();
            long size = spool.size();
            if (size == 0) {
                return new StoredBlob(sha256, 0, storageUrl(sha256)); // the catalog refuses it; nothing to send
            }
            String key = key(sha256);
            Long existing = sizeInBucket(key);
            if (existing != null && existing == size) {
                log.info("blob {} already in s3://{}/{}; not uploaded again", sha256, config.bucket(), key);
            } else {
                s3.putObject(b -> b.bucket(config.bucket()).key(key).contentLength(size)
                        .contentType("application/octet-stream"), RequestBody.fromFile(spool.file()));
                log.info("blob {} uploaded to s3://{}/{} ({} bytes)", sha256, config.bucket(), key, size);
            }
            return new StoredBlob(sha256, size, storageUrl(sha256));
        } catch (SdkException e) {
            throw new IOException("cannot store the artifact in s3://" + config.bucket() + ": " + e.getMessage(), e);
        }
    }

    private Long sizeInBucket(String key) {
        try {
            HeadObjectResponse head = s3.headObject(b -> b.bucket(config.bucket()).key(key));
            return head.contentLength();
        } catch (NoSuchKeyException e) {
            return null;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return null;
            }
            throw e;
        }
    }

    @Override
    public Path find(String sha256) {
        return null;
    }

    @Override
    public String directDownloadUrl(String sha256) {
        return presigner.presignGetObject(p -> p.signatureDuration(urlTtl)
                .getObjectRequest(g -> g.bucket(config.bucket()).key(key(sha256)))).url().toString();
    }

    @Override
    public InputStream openBlob(String sha256) throws IOException {
        try {
            return s3.getObject(b -> b.bucket(config.bucket()).key(key(sha256)));
        } catch (SdkException e) {
            throw new IOException("cannot read s3://" + config.bucket() + "/" + key(sha256) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] readObject(String key) throws IOException {
        String k = config.prefix() + ArtifactStore.checkedKey(key);
        try {
            return s3.getObjectAsBytes(b -> b.bucket(config.bucket()).key(k)).asByteArray();
        } catch (NoSuchKeyException e) {
            return null;
        } catch (SdkException e) {
            if (e instanceof S3Exception s3e && s3e.statusCode() == 404) {
                return null;
            }
            throw new IOException("cannot read s3://" + config.bucket() + "/" + k + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void writeObject(String key, byte[] data) throws IOException {
        String k = config.prefix() + ArtifactStore.checkedKey(key);
        try {
            s3.putObject(b -> b.bucket(config.bucket()).key(k).contentLength((long) data.length)
                    .contentType("application/octet-stream"), RequestBody.fromBytes(data));
        } catch (SdkException e) {
            throw new IOException("cannot store s3://" + config.bucket() + "/" + k + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean hasObject(String key) throws IOException {
        try {
            return sizeInBucket(config.prefix() + ArtifactStore.checkedKey(key)) != null;
        } catch (SdkException e) {
            throw new IOException("cannot look up s3://" + config.bucket() + ": " + e.getMessage(), e);
        }
    }

    /** The object key of a blob: {@code <prefix>sha256/<hex>}. */
    public String key(String sha256) {
        if (!sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a sha256 hex digest: " + sha256);
        }
        return config.prefix() + "sha256/" + sha256;
    }

    private String storageUrl(String sha256) {
        return "s3://" + config.bucket() + "/" + key(sha256);
    }

    @Override
    public String toString() {
        return "s3://" + config.bucket() + "/" + config.prefix() + (config.endpoint() == null ? "" : " at " + config.endpoint());
    }

    @Override
    public void close() {
        presigner.close();
        s3.close();
    }
}
