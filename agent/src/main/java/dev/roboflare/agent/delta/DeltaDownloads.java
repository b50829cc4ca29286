package dev.roboflare.agent.delta;

import dev.roboflare.agent.client.LiveProgress;
import dev.roboflare.agent.download.ArtifactDownloader;
import dev.roboflare.agent.download.ByteSink;
import dev.roboflare.agent.download.DownloadInterruptedException;
import dev.roboflare.agent.log.Log;
import dev.roboflare.agent.trust.ReleaseTrust;
import dev.roboflare.protocol.AgentApi;
import dev.roboflare.protocol.ArtifactKind;
import dev.roboflare.protocol.ChunkIndex;
import dev.roboflare.protocol.ReleaseStatement;
import dev.roboflare.protocol.Sha256;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
import okhttp3.OkHttpClient;

/**
 * The download step's one entry point for delta downloads. With a chunk cache and a chunks_url it fetches the
 * artifact's chunk index, asks the control plane only for the chunks the cache lacks (in batches, each chunk's
 * SHA-256 checked as it arrives and stored in the cache at once, so a kill -9 loses nothing), rebuilds the content
 * into the part file and checks the whole stream against the index's content sha256 and size (for a gzipped
 * tarball: the uncompressed tar, which an agent with trusted keys accepts only when the signed statement names
 * the same content_sha256). On any trouble, and whenever the cache has none of the chunks, it downloads the artifact
 * whole, as before, and seeds the cache from it for the next release.
 */
public final class DeltaDownloads {
    /** Chunks per request and bytes per request (the control plane answers at most 256 hashes). */
    static final int BATCH_CHUNKS = 256;
    static final long BATCH_BYTES = 8L << 20;
    /** The largest chunk this agent buffers (the control plane cuts at most 256 KiB). */
    static final int MAX_CHUNK = 4 << 20;

    /** What the download step gets: the part file as measured, and what crossed the link for it. */
    public record Fetched(ArtifactDownloader.Result result, long bytesDownloaded, String method) {
    }

    /** Content other than the artifact's own bytes that the verify step may accept (a rebuilt tar stream). */
    public record Content(long size, String sha256) {
    }

    private final ChunkCache cache;
    /** STATE/releases: the extracted tarball releases, read back through their {@link TarLayout}s. */
    private final Path releases;
    private final long cacheBound;
    private final Supplier<OkHttpClient> http;
    private final ReleaseTrust trust;
    private final Runnable afterFirstBatch;
    private final DownloadTally tally;

    private DeltaDownloads(ChunkCache cache, Path releases, long cacheBound, Supplier<OkHttpClient> http,
                           ReleaseTrust trust, Runnable afterFirstBatch, DownloadTally tally) {
        this.cache = cache;
        this.releases = releases;
        this.cacheBound = cacheBound;
        this.http = http;
        this.trust = trust;
        this.afterFirstBatch = afterFirstBatch == null ? () -> { } : afterFirstBatch;
        this.tally = tally;
    }

    /**
     * Delta downloads through a cache of at most {@code cacheBound} bytes in STATE/chunk-cache (0: off, every
     * download whole). {@code trust} (nullable) is the check step's: with trusted keys a rebuilt tar stream must be
     * the one the signed statement names. {@code afterFirstBatch} is the crash-test hook (see PauseHook).
     */
    public static DeltaDownloads in(Path stateDir, long cacheBound, Supplier<OkHttpClient> http, ReleaseTrust trust,
                                    Runnable afterFirstBatch) {
        Path dir = stateDir.resolve("chunk-cache");
        return new DeltaDownloads(cacheBound > 0 ? new ChunkCache(dir) : null,
                stateDir.resolve("releases").toAbsolutePath().normalize(),
                cacheBound, http, trust, afterFirstBatch, new DownloadTally(dir.resolve("tally")));
    }

    /** Whole downloads only, no cache (tests and robots without --chunk-cache). */
    public static DeltaDownloads off() {
        return new DeltaDownloads(null, null, 0, null, null, null, null);
    }

    public Fetched download(AgentApi.Deployment d, ArtifactDownloader full)
            throws DownloadInterruptedException, IOException {
        return download(d, full, null);
    }

    /**
     * As {@link #download(AgentApi.Deployment, ArtifactDownloader)}, handing the bytes of a whole download to
     * {@code sink} (nullable) as they are stored. A delta rebuild does not feed it: what the sink made then does not
     * match the artifact and the extract step works from the rebuilt part file.
     */
    public Fetched download(AgentApi.Deployment d, ArtifactDownloader full, ByteSink sink)
            throws DownloadInterruptedException, IOException {
        AgentApi.Artifact a = d.artifact();
        if (tally != null) {
            tally.startFor(d.id());
        }
        if (cache == null || a.chunksUrl() == null) {
            return whole(d, full, sink, null, 0, null);
        }
        ChunkSource source = new ChunkSource(http);
        ChunkSource.Fetched fetched;
        try {
            fetched = source.index(a.chunksUrl());
        } catch (ChunkSource.NoIndex e) {
            return whole(d, full, sink, null, source.wireBytes(), null);
        } catch (IOException e) { // not a valid index (a network error is DownloadInterruptedException)
            tally.add(d.id(), source.wireBytes());
            return whole(d, full, sink, null, source.wireBytes(), "the chunk index is unusable: "
                    + e.getMessage());
        }
        tally.add(d.id(), source.wireBytes());
        ChunkIndex index = fetched.index();
        String refusal = refusal(d, index);
        if (refusal != null) {
            return whole(d, full, sink, null, source.wireBytes(), refusal);
        }
        cache.keepIndex(a.sha256(), fetched.encoded());
        Path part = full.partFile(a.sha256());
        if (Files.exists(part)) { // a whole download under way (resume it), or a rebuilt stream not yet verified
            if (index.over() == ChunkIndex.Over.GUNZIPPED && Files.size(part) == index.contentSize()
                    && index.contentSha256().equals(ArtifactDownloader.sha256Of(part))) {
                return done(d, new ArtifactDownloader.Result(part, index.contentSize(), index.contentSha256(), 0),
                        source.wireBytes(), "delta", "");
            }
            return whole(d, full, sink, index, source.wireBytes(), null);
        }
        Map<String, ChunkIndex.Chunk> missing = new LinkedHashMap<>();
        for (ChunkIndex.Chunk c : index.chunks()) {
            if (!cache.has(c.sha256())) {
                missing.putIfAbsent(c.sha256(), c);
            }
        }
        try (InstalledSeeds seeds = InstalledSeeds.of(cache, releases, a.sha256())) {
            return delta(d, full, sink, source, index, part, missing, seeds);
        }
    }

    /** The delta proper, once the index is accepted and the chunks the cache lacks are known. */
    private Fetched delta(AgentApi.Deployment d, ArtifactDownloader full, ByteSink sink, ChunkSource source,
                          ChunkIndex index, Path part, Map<String, ChunkIndex.Chunk> missing, InstalledSeeds seeds)
            throws DownloadInterruptedException, IOException {
        seedFromInstalled(d, missing, seeds);
        long cachedBytes = 0;
        for (ChunkIndex.Chunk c : index.chunks()) {
            if (!missing.containsKey(c.sha256())) {
                cachedBytes += c.size();
            }
        }
        if (cachedBytes == 0) { // a cold cache: one plain download is faster than thousands of chunks
            return whole(d, full, sink, index, source.wireBytes(), null);
        }
        long missingBytes = 0;
        for (ChunkIndex.Chunk c : missing.values()) {
            missingBytes += c.size();
        }
        LiveProgress.current().phase(d.id(), "downloading", 0L, missingBytes); // the status page: chunks to fetch
        String bad = fetchMissing(d, source, index, new ArrayList<>(missing.values()));
        if (bad != null) {
            return whole(d, full, sink, index, source.wireBytes(), "chunk " + bad
                    + " failed its SHA-256 check twice");
        }
        if (sink != null) {
            sink.restart(); // the part file is rebuilt from chunks, not downloaded: the sink gets none of it
        }
        ArtifactDownloader.Result rebuilt = rebuild(d, index, part, seeds);
        if (rebuilt == null && seeds.usedAny()) { // a file of an installed release changed since: the cache alone
            Log.notice().kv("deployment", d.id()).kv("release", d.release().semver()).kv("step", "download")
                    .kv("outcome", "seed-changed").msg("an installed release's files no longer hold the chunks they "
                            + "held; rebuilding from the chunk cache alone").emit();
            rebuilt = rebuild(d, index, part, InstalledSeeds.none());
        }
        if (rebuilt == null) {
            return whole(d, full, sink, index, source.wireBytes(), "the rebuilt content is not the indexed one");
        }
        return done(d, rebuilt, source.wireBytes(), "delta", " (" + missing.size() + " of " + index.chunks().size()
                + " chunks fetched)");
    }

    /**
     * Null when {@code index} may rebuild the deployment's artifact, else why not: an index over the stored bytes
     * must name the artifact's own sha256 and size; one over an uncompressed tar needs, with trusted keys, a signed
     * statement naming the same content_sha256 and content_size.
     */
    String refusal(AgentApi.Deployment d, ChunkIndex index) {
        AgentApi.Artifact a = d.artifact();
        if (index.maxSize() > MAX_CHUNK) {
            return "the chunk index allows chunks of " + index.maxSize() + " bytes; this agent takes at most "
                    + MAX_CHUNK;
        }
        if (index.over() == ChunkIndex.Over.ARTIFACT) {
            return index.contentSha256().equals(a.sha256()) && index.contentSize() == a.size() ? null
                    : "the chunk index describes other bytes than artifact " + a.sha256();
        }
        if (a.kind() != ArtifactKind.APP_TARBALL) {
            return "an uncompressed-content chunk index for a " + a.kind().wire() + " artifact";
        }
        if (trust == null || !trust.requiresSignatures()) {
            return null;
        }
        ReleaseStatement s = trust.signedStatement(d);
        if (s == null || s.contentSha256() == null || s.contentSize() == null) {
            return "the signed statement has no content_sha256 (sign the release again with 'roboflare release "
                    + "sign'), so a rebuilt tar stream could not be checked against it";
        }
        if (!s.contentSha256().equals(index.contentSha256()) || s.contentSize() != index.contentSize()) {
            return "the chunk index's content sha256 " + index.contentSha256() + " differs from the signed "
                    + "statement's " + s.contentSha256();
        }
        return null;
    }

    /**
     * For the verify step: the rebuilt content it may accept instead of the artifact's bytes (the kept index's
     * uncompressed tar, when {@link #refusal} allows it), or null.
     */
    public Content acceptedContent(AgentApi.Deployment d) throws IOException {
        if (cache == null || d.artifact() == null || !ArtifactDownloader.validSha256(d.artifact().sha256())) {
            return null;
        }
        ChunkIndex index = cache.keptIndex(d.artifact().sha256());
        if (index == null || index.over() != ChunkIndex.Over.GUNZIPPED || refusal(d, index) != null) {
            return null;
        }
        return new Content(index.contentSize(), index.contentSha256());
    }

    /** The event detail with what this deployment's downloads carried, as a last line (null tally: unchanged). */
    public String withBytesDownloaded(String deploymentId, String detail) {
        String line = tally == null ? null : tally.line(deploymentId);
        return line == null ? detail : detail + "\n" + line;
    }

    private String fetchMissing(AgentApi.Deployment d, ChunkSource source, ChunkIndex index,
                                List<ChunkIndex.Chunk> missing) throws DownloadInterruptedException, IOException {
        List<ChunkIndex.Chunk> failed = new ArrayList<>();
        long[] fetched = {0};
        fetchAll(d, source, index, missing, failed, fetched);
        if (failed.isEmpty()) {
            return null;
        }
        Log.warn().kv("deployment", d.id()).kv("release", d.release().semver()).kv("step", "download")
                .kv("outcome", "bad-chunk").kv("chunk", failed.get(0).sha256()).kv("count", failed.size())
                .msg("chunks from the control plane failed their SHA-256 check; fetching them once more").emit();
        List<ChunkIndex.Chunk> again = new ArrayList<>();
        fetchAll(d, source, index, failed, again, fetched);
        return again.isEmpty() ? null : again.get(0).sha256();
    }

    /** {@code fetched}: chunk bytes fetched so far for this download, for {@link LiveProgress}. */
    private void fetchAll(AgentApi.Deployment d, ChunkSource source, ChunkIndex index, List<ChunkIndex.Chunk> wanted,
                          List<ChunkIndex.Chunk> failed, long[] fetched)
            throws DownloadInterruptedException, IOException {
        int i = 0;
        while (i < wanted.size()) {
            List<ChunkIndex.Chunk> batch = new ArrayList<>();
            long bytes = 0;
            while (i < wanted.size() && batch.size() < BATCH_CHUNKS
                    && (batch.isEmpty() || bytes + wanted.get(i).size() <= BATCH_BYTES)) {
                bytes += wanted.get(i).size();
                batch.add(wanted.get(i++));
            }
            long before = source.wireBytes();
            try {
                source.fetch(d.artifact().chunksUrl(), batch, index.maxSize(), (c, data, length) -> {
                    if (data == null || !c.sha256().equals(ChunkCache.sha256Of(data, length))) {
                        failed.add(c);
                        return;
                    }
                    try {
                        cache.put(c.sha256(), data, length);
                    } catch (IOException e) {
                        throw new ChunkSource.ChunkWriteException(e);
                    }
                });
            } finally {
                tally.add(d.id(), source.wireBytes() - before);
            }
            fetched[0] += bytes;
            LiveProgress.current().done(fetched[0]);
            afterFirstBatch.run();
        }
    }

    /** Writes the content from cached chunks to the part file; null when the whole stream does not match. */
    private ArtifactDownloader.Result rebuild(AgentApi.Deployment d, ChunkIndex index, Path part,
                                              InstalledSeeds seeds) throws DownloadInterruptedException, IOException {
        Path tmp = part.resolveSibling(part.getFileName() + ".delta");
        MessageDigest whole = Sha256.newDigest();
        TarLayout.Recorder layout = index.over() == ChunkIndex.Over.GUNZIPPED ? new TarLayout.Recorder() : null;
        long size = 0;
        byte[] data = new byte[index.maxSize()];
        // from an installed release's files where they hold the chunk (large files read in order), else from the
        // chunk cache; one buffer, straight into the part file
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (ChunkIndex.Chunk c : index.chunks()) {
                int n = seeds.read(c.sha256(), data);
                if (n < 0) {
                    n = cache.readUnchecked(c.sha256(), data);
                }
                if (n < 0) { // evicted meanwhile (another process trimming?): the retry fetches it
                    throw new DownloadInterruptedException("chunk " + c.sha256() + " left the chunk cache; fetching "
                            + "it again", 0);
                }
                ByteBuffer bb = ByteBuffer.wrap(data, 0, n);
                while (bb.hasRemaining()) {
                    out.write(bb);
                }
                whole.update(data, 0, n);
                if (layout != null) {
                    layout.write(data, 0, n);
                }
                size += n;
            }
        } catch (DownloadInterruptedException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        String sha = Sha256.hex(whole);
        if (size != index.contentSize() || !sha.equals(index.contentSha256())) {
            Files.deleteIfExists(tmp);
            if (seeds.usedAny()) {
                return null; // the caller rebuilds from the cache alone
            }
            String damaged = null;
            for (ChunkIndex.Chunk c : index.chunks()) { // each chunk was checked on arrival: find what rotted since
                if (cache.has(c.sha256()) && cache.read(c.sha256()) == null) {
                    damaged = c.sha256();
                }
            }
            if (damaged != null) { // read() deleted the damaged ones; the retry fetches them again
                throw new DownloadInterruptedException("chunk " + damaged + " in the chunk cache was damaged on disk; "
                        + "fetching it again", 0);
            }
            return null;
        }
        Files.move(tmp, part, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        if (layout != null) {
            cache.keepLayout(d.artifact().sha256(), layout.finish(d.release().id()));
        }
        return new ArtifactDownloader.Result(part, size, sha, 0);
    }

    /** The plain download, then the cache seeded from it when an index describes it. */
    private Fetched whole(AgentApi.Deployment d, ArtifactDownloader full, ByteSink sink, ChunkIndex index,
                          long wireSoFar, String whyNotDelta) throws DownloadInterruptedException, IOException {
        if (whyNotDelta != null) {
            Log.notice().kv("deployment", d.id()).kv("release", d.release().semver()).kv("step", "download")
                    .kv("outcome", "whole").msg("downloading the artifact whole: " + whyNotDelta).emit();
        }
        ArtifactDownloader.Result r = full.download(d.artifact(), sink);
        long bytes = wireSoFar + r.size() - r.resumedFrom();
        if (tally != null) {
            tally.add(d.id(), r.size() - r.resumedFrom());
        }
        if (index != null && r.size() == d.artifact().size() && r.sha256().equals(d.artifact().sha256())) {
            seed(d, r.file(), index);
        }
        return done(d, r, bytes, "whole", whyNotDelta == null ? "" : " (not a delta: " + whyNotDelta + ")");
    }

    private Fetched done(AgentApi.Deployment d, ArtifactDownloader.Result r, long bytes, String method, String note)
            throws IOException {
        if (tally != null) {
            tally.finish(d.id(), method + note);
        }
        if (cache != null) {
            cache.trim(cacheBound);
        }
        return new Fetched(r, bytes, method);
    }

    /**
     * Puts in the cache the {@code missing} chunks that installed releases still hold on disk, each checked against
     * its SHA-256, and takes them off {@code missing}. Best effort: a changed file only means its chunks are fetched.
     */
    private void seedFromInstalled(AgentApi.Deployment d, Map<String, ChunkIndex.Chunk> missing,
                                   InstalledSeeds seeds) throws IOException {
        int chunks = 0;
        long bytes = 0;
        byte[] buf = null;
        for (var it = missing.values().iterator(); it.hasNext(); ) {
            ChunkIndex.Chunk c = it.next();
            if (!seeds.has(c.sha256())) {
                continue;
            }
            buf = buf == null || buf.length < c.size() ? new byte[Math.max(c.size(), 1 << 18)] : buf;
            int n = seeds.read(c.sha256(), buf);
            if (n == c.size() && c.sha256().equals(ChunkCache.sha256Of(buf, n))) {
                cache.put(c.sha256(), buf, n);
                it.remove();
                chunks++;
                bytes += n;
            }
        }
        if (chunks > 0) {
            Log.info().kv("deployment", d.id()).kv("release", d.release().semver()).kv("step", "download")
                    .kv("outcome", "seeded").kv("chunks", chunks).kv("bytes", bytes)
                    .msg("chunk cache seeded from installed releases").emit();
        }
    }

    /** Stores the chunks of a verified whole download (best effort: a mismatch stops it, nothing else). */
    private void seed(AgentApi.Deployment d, Path file, ChunkIndex index) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
             InputStream in = index.over() == ChunkIndex.Over.GUNZIPPED ? new GZIPInputStream(raw, 1 << 16) : raw) {
            byte[] buf = new byte[index.maxSize()];
            TarLayout.Recorder layout = index.over() == ChunkIndex.Over.GUNZIPPED ? new TarLayout.Recorder() : null;
            for (ChunkIndex.Chunk c : index.chunks()) {
                int n = in.readNBytes(buf, 0, c.size());
                if (layout != null) {
                    layout.write(buf, 0, n);
                }
                if (n != c.size() || !c.sha256().equals(ChunkCache.sha256Of(buf, n))) {
                    Log.warn().kv("deployment", d.id()).kv("release", d.release().semver()).kv("step", "download")
                            .kv("outcome", "not-seeded").kv("chunk", c.sha256())
                            .msg("the artifact does not match its chunk index; the chunk cache keeps what it had")
                            .emit();
                    return;
                }
                if (!cache.has(c.sha256())) {
                    cache.put(c.sha256(), buf, n);
                }
            }
            if (layout != null) {
                cache.keepLayout(d.artifact().sha256(), layout.finish(d.release().id()));
            }
        } catch (java.util.zip.ZipException e) {
            Log.warn().kv("deployment", d.id()).kv("step", "download").kv("outcome", "not-seeded")
                    .msg("the artifact is not the gzip its chunk index says: " + e.getMessage()).emit();
        }
    }
}
