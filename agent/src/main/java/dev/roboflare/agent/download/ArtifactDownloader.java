package dev.roboflare.agent.download;

import dev.roboflare.protocol.Sha256;
import dev.roboflare.agent.systemd.SdNotify;
import dev.roboflare.protocol.AgentApi;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Streams an artifact to STATE/downloads/&lt;sha256&gt;.part, hashing while it writes (the artifact is never held in
 * memory). An existing part file is re-hashed and the download resumes with {@code Range: bytes=N-}. It stops
 * writing at the declared size, so a wrong artifact cannot fill the disk; it returns what it measured and leaves
 * the comparison with the expected size and hash to the verify phase.
 */
public final class ArtifactDownloader {
    public static final int CHUNK = 64 * 1024;
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /** What arrived: the part file, its size and SHA-256 (of every byte the server sent). */
    public record Result(Path file, long size, String sha256, long resumedFrom) {
    }

    private final Supplier<OkHttpClient> http;
    private final Path dir;
    private final Runnable afterFirstChunk;

    /** {@code afterFirstChunk} runs once per call, after the first chunk is on disk (the crash-test hook). */
    public ArtifactDownloader(OkHttpClient http, Path downloadsDir, Runnable afterFirstChunk) {
        this(() -> http, downloadsDir, afterFirstChunk);
    }

    /** With the HTTP client asked for at the first download (ControlPlaneClient#downloads builds it then). */
    public ArtifactDownloader(Supplier<OkHttpClient> http, Path downloadsDir, Runnable afterFirstChunk) {
        this.http = http;
        this.dir = downloadsDir;
        this.afterFirstChunk = afterFirstChunk == null ? () -> { } : afterFirstChunk;
    }

    public static boolean validSha256(String s) {
        return s != null && SHA256.matcher(s).matches();
    }

    public Path partFile(String sha256) {
        if (!validSha256(sha256)) {
            throw new IllegalArgumentException("not a lowercase hex SHA-256: " + sha256);
        }
        return dir.resolve(sha256 + ".part");
    }

    public void discard(String sha256) throws IOException {
        Files.deleteIfExists(partFile(sha256));
    }

    public Result download(AgentApi.Artifact artifact) throws DownloadInterruptedException, IOException {
        return download(artifact, null);
    }

    /**
     * As {@link #download(AgentApi.Artifact)}, also handing every stored byte to {@code sink} (nullable), those of a
     * resumed part file first, each read once for both the hash and the sink.
     */
    public Result download(AgentApi.Artifact artifact, ByteSink sink) throws DownloadInterruptedException,
            IOException {
        Path part = partFile(artifact.sha256());
        Files.createDirectories(dir);
        long expected = artifact.size();
        MessageDigest md = Sha256.newDigest();
        long have = 0;
        if (Files.exists(part)) {
            have = Files.size(part);
            if (have > expected) {
                Files.delete(part);
                have = 0;
            } else {
                try (InputStream in = Files.newInputStream(part)) {
                    byte[] buf = new byte[CHUNK];
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        md.update(buf, 0, n);
                        if (sink != null) {
                            sink.accept(buf, 0, n);
                        }
                    }
                }
            }
        }
        long resumedFrom = have;
        if (have == expected && expected > 0) {
            return new Result(part, have, Sha256.hex(md), resumedFrom);
        }
        Request.Builder rb = new Request.Builder().url(artifact.downloadUrl());
        if (have > 0) {
            rb.header("Range", "bytes=" + have + "-");
        }
        try (Response resp = http.get().newCall(rb.build()).execute()) {
            int code = resp.code();
            if (code == 206) {
                String range = resp.header("Content-Range", "");
                if (!range.startsWith("bytes " + have + "-")) {
                    Files.deleteIfExists(part);
                    throw new DownloadInterruptedException("the server answered Range bytes=" + have
                            + "- with Content-Range '" + range + "'; starting over", 0);
                }
            } else if (code == 200) {
                if (have > 0) { // the server ignored Range: start from zero
                    Files.deleteIfExists(part);
                    md.reset();
                    have = 0;
                    resumedFrom = 0;
                    if (sink != null) {
                        sink.restart();
                    }
                }
            } else if (code == 416) {
                Files.deleteIfExists(part);
                throw new DownloadInterruptedException("the server refused Range bytes=" + have
                        + "- (416); starting over", 416);
            } else {
                throw new DownloadInterruptedException("download answered HTTP " + code, code);
            }
            ResponseBody body = resp.body();
            boolean hooked = false;
            try (InputStream in = body.byteStream();
                 OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                         StandardOpenOption.APPEND)) {
                byte[] buf = new byte[CHUNK];
                int filled = 0;
                int n;
                while ((n = in.read(buf, filled, buf.length - filled)) > 0) {
                    md.update(buf, filled, n);
                    filled += n;
                    SdNotify.current().kick(); // from the thread doing the work: a hung download stops the kicks
                    if (filled == buf.length) {
                        have += write(out, sink, buf, filled, have, expected);
                        filled = 0;
                        dev.roboflare.agent.client.LiveProgress.current().done(have);
                        if (!hooked) {
                            out.flush();
                            hooked = true;
                            afterFirstChunk.run();
                        }
                    }
                }
                have += write(out, sink, buf, filled, have, expected);
            } catch (DiskWriteException e) {
                throw e;
            } catch (IOException e) {
                throw new DownloadInterruptedException("connection lost after " + Files.size(part) + " of "
                        + expected + " bytes: " + e.getMessage(), 0);
            }
        } catch (DiskWriteException e) {
            throw e;
        } catch (IOException e) {
            throw new DownloadInterruptedException("cannot reach " + hostOf(artifact.downloadUrl()) + ": "
                    + e.getMessage(), 0);
        }
        return new Result(part, have, Sha256.hex(md), resumedFrom);
    }

    /** Writes only up to the declared size (a longer artifact is counted and hashed, not stored); returns n. */
    private static int write(OutputStream out, ByteSink sink, byte[] buf, int n, long have, long expected)
            throws IOException {
        long room = Math.max(0, expected - have);
        int keep = (int) Math.min(n, room);
        if (keep > 0) {
            try {
                out.write(buf, 0, keep);
            } catch (IOException e) {
                throw new DiskWriteException("cannot write the download: " + e.getMessage(), e);
            }
            if (sink != null) {
                sink.accept(buf, 0, keep);
            }
        }
        return n;
    }

    private static String hostOf(String url) {
        okhttp3.HttpUrl u = okhttp3.HttpUrl.parse(url);
        return u == null ? url : u.host() + ":" + u.port();
    }


    /** SHA-256 of a file, streaming. */
    public static String sha256Of(Path file) throws IOException {
        MessageDigest md = Sha256.newDigest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[CHUNK];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return Sha256.hex(md);
    }
}
