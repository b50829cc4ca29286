package dev.roboflare.agent.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Builds tarballs in memory, including the malicious ones a real tar would refuse to write. */
public final class Tarballs {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final OutputStream sink;
    private final TarArchiveOutputStream tar;

    private Tarballs(boolean gzip) throws IOException {
        sink = gzip ? new GzipCompressorOutputStream(bytes) : bytes;
        tar = new TarArchiveOutputStream(sink);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    }

    public static Tarballs gzip() throws IOException {
        return new Tarballs(true);
    }

    public static Tarballs plain() throws IOException {
        return new Tarballs(false);
    }

    public Tarballs dir(String name) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR, true);
        e.setMode(040755);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
        return this;
    }

    public Tarballs file(String name, int mode, String content) throws IOException {
        byte[] b = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_NORMAL, true);
        e.setMode(0100000 | mode);
        e.setSize(b.length);
        tar.putArchiveEntry(e);
        tar.write(b);
        tar.closeArchiveEntry();
        return this;
    }

    public Tarballs symlink(String name, String target) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
        e.setLinkName(target);
        e.setMode(0120777);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
        return this;
    }

    public Tarballs hardlink(String name, String target) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
        e.setLinkName(target);
        e.setMode(0100644);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
        return this;
    }

    /** An app whose bin/app runs {@code script} (a POSIX sh body). */
    public static byte[] app(String script) throws IOException {
        return gzip().dir("bin").file("bin/app", 0755, "#!/bin/sh\n" + script + "\n").bytes();
    }

    public byte[] bytes() throws IOException {
        tar.finish();
        tar.close();
        return bytes.toByteArray();
    }
}
