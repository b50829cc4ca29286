package dev.roboflare.agent.delta;

import dev.roboflare.protocol.TarHeaders;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * Where the bytes of an installed release's tar stream are on disk once it is extracted: each regular file's data is
 * that file under the release directory; everything else (headers, pax and long-name records, padding, the
 * end-of-archive blocks) is kept here, deflated, about 1 KiB a file. With the release's chunk index, a chunk of that
 * tar can be read back from the release directory; the caller checks its SHA-256, so a file changed on the robot
 * since only means that chunk is not there. This seeds the chunk cache from the current and previous releases when
 * the cache lost their chunks (trimmed, deleted, or an agent that had no cache when they were installed).
 */
final class TarLayout {
    private static final byte[] MAGIC = "RFLAYOUT1".getBytes(StandardCharsets.US_ASCII);

    /** A regular file's data: at {@code offset} in the tar, {@code size} bytes, at {@code path} (null: unknown). */
    record FileData(long offset, long size, String path) {
    }

    final String releaseId;
    final long contentSize;
    final List<FileData> files;
    /** Everything outside the files' data, in stream order, deflated. */
    private final byte[] rest;

    private TarLayout(String releaseId, long contentSize, List<FileData> files, byte[] rest) {
        this.releaseId = releaseId;
        this.contentSize = contentSize;
        this.files = List.copyOf(files);
        this.rest = rest;
    }

    void write(Path target) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeUTF(releaseId);
            out.writeLong(contentSize);
            out.writeInt(files.size());
            for (FileData f : files) {
                out.writeLong(f.offset());
                out.writeLong(f.size());
                out.writeBoolean(f.path() != null);
                if (f.path() != null) {
                    out.writeUTF(f.path());
                }
            }
            out.writeInt(rest.length);
            out.write(rest);
        }
        Files.write(target, bytes.toByteArray());
    }

    static TarLayout read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(Files.readAllBytes(file)))) {
            if (!Arrays.equals(in.readNBytes(MAGIC.length), MAGIC)) {
                throw new IOException("not a tar layout");
            }
            String release = in.readUTF();
            long size = in.readLong();
            int n = in.readInt();
            if (n < 0 || n > 10_000_000) {
                throw new IOException("tar layout lists " + n + " files");
            }
            List<FileData> files = new ArrayList<>(Math.min(n, 1 << 16));
            for (int i = 0; i < n; i++) {
                long offset = in.readLong();
                long length = in.readLong();
                files.add(new FileData(offset, length, in.readBoolean() ? in.readUTF() : null));
            }
            int restLength = in.readInt();
            if (restLength < 0 || restLength > in.available()) {
                throw new IOException("tar layout is cut short");
            }
            return new TarLayout(release, size, files, in.readNBytes(restLength));
        }
    }

    /** Reads ranges of the tar stream back from {@code releaseDir}. */
    Reader reader(Path releaseDir) throws IOException {
        return new Reader(releaseDir.toAbsolutePath().normalize());
    }

    final class Reader implements AutoCloseable {
        private final Path root;
        private final byte[] inflated;
        /** Per file: where the bytes before it end in {@link #inflated}. */
        private final long[] restBefore;
        private final Map<Integer, RandomAccessFile> open = new HashMap<>();

        private Reader(Path root) throws IOException {
            this.root = root;
            try (InflaterInputStream in = new InflaterInputStream(new ByteArrayInputStream(rest))) {
                this.inflated = in.readAllBytes();
            }
            restBefore = new long[files.size()];
            long fileBytes = 0;
            for (int i = 0; i < files.size(); i++) {
                restBefore[i] = files.get(i).offset() - fileBytes;
                fileBytes += files.get(i).size();
            }
            if (inflated.length != contentSize - fileBytes) {
                throw new IOException("tar layout's other bytes are " + inflated.length + ", expected "
                        + (contentSize - fileBytes));
            }
        }

        /** The tar's bytes {@code [offset, offset + length)}, or null when a file they need is not readable. */
        byte[] read(long offset, int length) throws IOException {
            byte[] out = new byte[length];
            return read(offset, length, out) ? out : null;
        }

        /** {@link #read(long, int)} into {@code out}; false when a file they need is not readable. */
        boolean read(long offset, int length, byte[] out) throws IOException {
            if (offset < 0 || offset + length > contentSize || length > out.length) {
                return false;
            }
            int done = 0;
            int i = firstFileEndingAfter(offset);
            while (done < length) {
                long at = offset + done;
                FileData f = i < files.size() ? files.get(i) : null;
                if (f != null && at >= f.offset()) { // inside file i
                    int n = (int) Math.min(length - done, f.offset() + f.size() - at);
                    if (n > 0 && !readFile(i, at - f.offset(), out, done, n)) {
                        return false;
                    }
                    done += n;
                    i++;
                    continue;
                }
                // before file i (or after the last): the kept bytes
                long restAt = i < files.size() ? restBefore[i] - (f.offset() - at)
                        : inflated.length - (contentSize - at);
                int n = (int) Math.min(length - done, (f == null ? contentSize : f.offset()) - at);
                System.arraycopy(inflated, (int) restAt, out, done, n);
                done += n;
            }
            return true;
        }

        private int firstFileEndingAfter(long offset) {
            int lo = 0;
            int hi = files.size();
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                FileData f = files.get(mid);
                if (f.offset() + f.size() <= offset) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }

        private boolean readFile(int i, long from, byte[] out, int at, int n) throws IOException {
            FileData f = files.get(i);
            if (f.path() == null) {
                return false;
            }
            RandomAccessFile raf = open.get(i);
            if (raf == null) {
                Path p = root.resolve(f.path()).normalize();
                if (!p.startsWith(root) || !Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                        || Files.size(p) != f.size()) {
                    return false;
                }
                raf = new RandomAccessFile(p.toFile(), "r");
                open.put(i, raf);
            }
            raf.seek(from);
            raf.readFully(out, at, n);
            return true;
        }

        @Override
        public void close() throws IOException {
            for (RandomAccessFile f : open.values()) {
                f.close();
            }
        }
    }

    /**
     * Learns a tar stream's layout from its bytes as they pass, in order (no extra read). Stops following entries
     * at the first block that is not a valid header (the end-of-archive zeros, or not a tar): what follows is kept.
     */
    static final class Recorder {
        private static final int BLOCK = 512;
        private static final int MAX_META = 1 << 20;

        private final List<FileData> files = new ArrayList<>();
        private final ByteArrayOutputStream restBytes = new ByteArrayOutputStream();
        private final DeflaterOutputStream rest = new DeflaterOutputStream(restBytes);
        private final byte[] header = new byte[BLOCK];
        private final ByteArrayOutputStream meta = new ByteArrayOutputStream();
        private long pos;
        private long nextHeader;
        private long fileStart = -1;
        private long fileEnd = -1;
        private long metaEnd = -1;
        private char metaType;
        private String longName;
        private String paxPath;
        private boolean done;

        void write(byte[] b, int off, int len) throws IOException {
            int i = 0;
            while (i < len) {
                long at = pos + i;
                if (at >= fileStart && at < fileEnd) { // a file's data: on disk after extraction, not kept
                    i += (int) Math.min(len - i, fileEnd - at);
                    continue;
                }
                // kept bytes, up to the end of the next header (which may start a file's data)
                long stop = done ? pos + len : Math.min(pos + len, nextHeader + BLOCK);
                int n = (int) (stop - at);
                rest.write(b, off + i, n);
                observe(b, off + i, at, n);
                i += n;
            }
            pos += len;
        }

        /** Follows headers and meta records in the kept bytes {@code [at, at + n)}. */
        private void observe(byte[] b, int off, long at, int n) {
            if (metaEnd > at) {
                int take = (int) Math.min(n, metaEnd - at);
                if (meta.size() + take <= MAX_META) {
                    meta.write(b, off, take);
                }
                if (at + take == metaEnd) {
                    endMeta();
                }
            }
            if (done || nextHeader + BLOCK <= at || nextHeader >= at + n) {
                return;
            }
            int have = (int) Math.max(0, at - nextHeader);
            int from = (int) Math.max(0, nextHeader - at);
            int take = Math.min(BLOCK - have, n - from);
            System.arraycopy(b, off + from, header, have, take);
            if (have + take == BLOCK) {
                header();
            }
        }

        private void header() {
            long size = TarHeaders.dataSize(header);
            if (size < 0) {
                done = true;
                return;
            }
            long data = nextHeader + BLOCK;
            char type = (char) header[156];
            nextHeader = data + (size + BLOCK - 1) / BLOCK * BLOCK;
            if (type == '0' || type == '\0' || type == '7') {
                String name = paxPath != null ? paxPath : longName != null ? longName : TarHeaders.name(header);
                files.add(new FileData(data, size, TarHeaders.relative(name)));
                fileStart = data;
                fileEnd = data + size;
                longName = null;
                paxPath = null;
            } else if ((type == 'L' || type == 'x') && size > 0) {
                metaType = type;
                metaEnd = data + size;
                meta.reset();
            } else if (type != 'g' && type != 'K') {
                longName = null;
                paxPath = null;
            }
        }

        private void endMeta() {
            byte[] m = meta.toByteArray();
            if (metaType == 'L') {
                int end = 0;
                while (end < m.length && m[end] != 0) {
                    end++;
                }
                longName = new String(m, 0, end, StandardCharsets.UTF_8);
            } else {
                paxPath = TarHeaders.paxPath(m);
            }
            metaEnd = -1;
        }

        /** The layout of everything written, for the release that will be extracted from it. */
        TarLayout finish(String releaseId) throws IOException {
            rest.finish();
            return new TarLayout(releaseId, pos, files, restBytes.toByteArray());
        }
    }
}
