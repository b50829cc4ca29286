package dev.roboflare.agent.executor.image;

import dev.roboflare.agent.executor.RejectedArtifactException;
import dev.roboflare.protocol.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.List;

/** Streams an image onto a slot's block device in one pass, fsyncs it and reads the written bytes back. */
final class SlotWriter {
    private SlotWriter() {
    }

    record Written(long bytes, String sha256) {
    }

    /** The device's size in bytes ({@code blockdev --getsize64}). */
    static long capacity(Path device) throws IOException {
        return Long.parseLong(Tool.run(List.of("blockdev", "--getsize64", device.toString())).strip());
    }

    static Written write(InputStream image, Path device, long capacity) throws IOException, RejectedArtifactException {
        MessageDigest md = Sha256.newDigest();
        long total = 0;
        byte[] buf = new byte[1 << 20];
        try (FileChannel out = FileChannel.open(device, StandardOpenOption.WRITE)) {
            for (int n; (n = image.readNBytes(buf, 0, buf.length)) > 0; ) {
                if (total + n > capacity) {
                    throw new RejectedArtifactException("the image is larger than the inactive slot " + device + " ("
                            + capacity + " bytes); the running OS was not changed");
                }
                md.update(buf, 0, n);
                ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
                while (b.hasRemaining()) {
                    out.write(b, total + b.position());
                }
                total += n;
            }
            out.force(true);
        }
        Written w = new Written(total, Sha256.hex(md));
        String back = readBack(device, total);
        if (!back.equals(w.sha256())) {
            throw new IOException("the slot " + device + " reads back sha256 " + back + " after writing " + w.sha256()
                    + " (" + total + " bytes): the storage is failing");
        }
        return w;
    }

    private static String readBack(Path device, long bytes) throws IOException {
        MessageDigest md = Sha256.newDigest();
        ByteBuffer buf = ByteBuffer.allocate(1 << 20);
        try (FileChannel in = FileChannel.open(device, StandardOpenOption.READ)) {
            long pos = 0;
            while (pos < bytes) {
                buf.clear().limit((int) Math.min(buf.capacity(), bytes - pos));
                int n = in.read(buf, pos);
                if (n < 0) {
                    break;
                }
                md.update(buf.array(), 0, n);
                pos += n;
            }
        }
        return Sha256.hex(md);
    }
}
