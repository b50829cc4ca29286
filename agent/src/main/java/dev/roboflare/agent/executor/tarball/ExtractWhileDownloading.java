package dev.roboflare.agent.executor.tarball;

import dev.roboflare.agent.download.ArtifactDownloader;
import dev.roboflare.agent.executor.InstallWhileDownloading;
import dev.roboflare.agent.files.FileTrees;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Extracts an app tarball into its {@code .tmp-} release directory on a second thread while the downloader stores
 * and hashes the same bytes: the bytes are read once, and the extraction runs on the other core during the
 * download instead of after it. They pass through a few fixed buffers (flat in the artifact size; the download
 * waits when the extraction falls behind). The result is only staged: it is kept when it was fed every byte and the
 * download's size and SHA-256 are the artifact's (a delta download rebuilds the part file from cached chunks
 * without feeding it), the rename happens in the extract step after verify, and anything else (a mismatch,
 * a refused entry, a disk error, a restart in between) deletes the directory and leaves the extract step to work
 * from the part file exactly as before.
 */
final class ExtractWhileDownloading implements InstallWhileDownloading {
    private static final int BUFFER = 256 * 1024;
    private static final int BUFFERS = 4;

    private record Chunk(byte[] bytes, int length) {
    }

    /** The end of the artifact; and VOID: the bytes so far are void (the download stopped, or started over). */
    private static final Chunk END = new Chunk(new byte[0], 0);
    private static final Chunk VOID = new Chunk(new byte[0], 0);

    private final String releaseId;
    private final String sha256;
    private final long size;
    private final Path tmp;
    private final BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(BUFFERS + 1);
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(BUFFERS);
    private final Thread thread;
    private volatile boolean stopped;
    private volatile Exception failure;
    private boolean voided;
    private boolean ended;
    private volatile boolean staged;
    private byte[] filling;
    private int filled;
    /** Bytes handed in: the staged extraction is used only when it saw the whole artifact (not a delta rebuild). */
    private long fed;

    private ExtractWhileDownloading(TarballExtractor extractor, String releaseId, String sha256, long size,
                                    Path tmp) {
        this.releaseId = releaseId;
        this.sha256 = sha256;
        this.size = size;
        this.tmp = tmp;
        for (int i = 0; i < BUFFERS; i++) {
            free.add(new byte[BUFFER]);
        }
        thread = new Thread(() -> {
            try {
                extractor.extract(new Pipe(), tmp);
            } catch (Exception e) {
                failure = e;
            } finally {
                stopped = true; // the downloader stops waiting for room and hands nothing more
                full.clear();
            }
        }, "extract-while-downloading");
        thread.setDaemon(true);
    }

    /** Starts extracting release {@code releaseId} into {@code tmp} (which must not exist) from the bytes fed in. */
    static ExtractWhileDownloading start(TarballExtractor extractor, String releaseId, String sha256, long size,
                                         Path tmp) {
        ExtractWhileDownloading e = new ExtractWhileDownloading(extractor, releaseId, sha256, size, tmp);
        e.thread.start();
        return e;
    }

    @Override
    public void accept(byte[] b, int off, int len) {
        fed += len;
        while (len > 0 && !voided && !stopped) {
            if (filling == null && (filling = take()) == null) {
                return;
            }
            int n = Math.min(len, BUFFER - filled);
            System.arraycopy(b, off, filling, filled, n);
            filled += n;
            off += n;
            len -= n;
            if (filled == BUFFER) {
                hand(new Chunk(filling, filled));
                filling = null;
                filled = 0;
            }
        }
    }

    @Override
    public void restart() {
        voidAll();
    }

    @Override
    public void downloaded(ArtifactDownloader.Result r) {
        if (!voided && !ended) {
            if (filling != null) {
                hand(new Chunk(filling, filled));
                filling = null;
            }
            hand(END);
            ended = true;
        }
        join();
        staged = !voided && failure == null && fed == size && r.size() == size && r.sha256().equals(sha256);
        if (!staged) {
            deleteQuietly(); // a refused tarball is refused again, with its reason, by the extract step
        }
    }

    @Override
    public void abandon() {
        staged = false;
        voidAll();
        join();
        deleteQuietly();
    }

    /** True when this holds release {@code releaseId} extracted from exactly {@code part}'s verified artifact. */
    boolean stagedFor(String releaseId, Path part) {
        return staged && this.releaseId.equals(releaseId)
                && part.getFileName().toString().equals(sha256 + ".part") && Files.isDirectory(tmp);
    }

    private void voidAll() {
        if (!voided) {
            voided = true;
            filling = null;
            if (!ended) {
                hand(VOID);
            }
        }
    }

    /** A free buffer, or null once the extraction has stopped. */
    private byte[] take() {
        try {
            while (!stopped) {
                byte[] b = free.poll(100, TimeUnit.MILLISECONDS);
                if (b != null) {
                    return b;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            voidAll();
        }
        return null;
    }

    private void hand(Chunk c) {
        try {
            while (!stopped && !full.offer(c, 100, TimeUnit.MILLISECONDS)) {
                // the extraction is behind: the download waits for it (bounded memory)
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            voided = true;
        }
    }

    private void join() {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true; // the directory must not be deleted under a running extraction
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void deleteQuietly() {
        try {
            FileTrees.deleteTree(tmp);
        } catch (IOException e) {
            // the extract step deletes it before it extracts again
        }
    }

    /** The extraction's side: the chunks in order, the end of the artifact as the end of the stream. */
    private final class Pipe extends InputStream {
        private Chunk current;
        private int pos;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (current == null || pos == current.length()) {
                if (current == END) {
                    return -1;
                }
                if (current != null) {
                    free.offer(current.bytes());
                }
                try {
                    current = full.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted");
                }
                pos = 0;
                if (current == VOID) {
                    throw new IOException("the download stopped or started over");
                }
            }
            int n = Math.min(len, current.length() - pos);
            System.arraycopy(current.bytes(), pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
