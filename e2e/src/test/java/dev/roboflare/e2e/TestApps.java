package dev.roboflare.e2e;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** App tarballs as a release engineer would build them: a real shell-script app that records its PID. */
final class TestApps {
    private TestApps() {
    }

    /** An app that writes its PID to $PID_FILE and keeps running; {@code padding} bytes make a bigger download. */
    static byte[] healthyApp(String release, int padding) throws IOException {
        String script = "#!/bin/sh\n"
                + "echo \"app " + release + " started as pid $$\"\n"
                + "echo $$ > \"$PID_FILE\"\n"
                + "exec sleep 600\n";
        return tarball(script, padding);
    }

    /** As {@link #healthyApp}, but it appends its PID: several robots on this machine can share one PID file. */
    static byte[] sharedPidFileApp(String release) throws IOException {
        String script = "#!/bin/sh\n"
                + "echo \"app " + release + " started as pid $$\"\n"
                + "echo $$ >> \"$PID_FILE\"\n"
                + "exec sleep 600\n";
        return tarball(script, 0);
    }

    /** An app that prints an error and exits 3 straight away, as a broken build would. */
    static byte[] crashingApp(String release) throws IOException {
        String script = "#!/bin/sh\n"
                + "echo \"app " + release + " starting\"\n"
                + "echo \"fatal: cannot open /dev/ttyACM0 for the gantry\" >&2\n"
                + "exit 3\n";
        return tarball(script, 0);
    }

    static ObjectNode manifest(Path pidFile) {
        ObjectNode m = OperatorClient.JSON.createObjectNode();
        m.putArray("entrypoint").add("bin/app");
        m.putObject("env").put("PID_FILE", pidFile.toString());
        return m;
    }

    private static byte[] tarball(String script, int padding) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            dir(tar, "bin/");
            file(tar, "bin/app", script.getBytes(StandardCharsets.UTF_8), 0755);
            if (padding > 0) {
                byte[] noise = new byte[padding];
                new Random(42).nextBytes(noise);
                file(tar, "share/model.bin", noise, 0644);
            }
        }
        return bytes.toByteArray();
    }

    /** A tarball with one hostile entry, for the refusal tests; {@code kind} is "file", "symlink" or "hardlink". */
    static byte[] hostile(String kind, String name, String linkTarget) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            dir(tar, "bin/");
            file(tar, "bin/app", "#!/bin/sh\nexec sleep 600\n".getBytes(StandardCharsets.UTF_8), 0755);
            switch (kind) {
                case "file" -> file(tar, name, "owned\n".getBytes(StandardCharsets.UTF_8), 0644);
                case "symlink", "hardlink" -> {
                    TarArchiveEntry e = new TarArchiveEntry(name,
                            kind.equals("symlink") ? TarArchiveEntry.LF_SYMLINK : TarArchiveEntry.LF_LINK);
                    e.setLinkName(linkTarget);
                    tar.putArchiveEntry(e);
                    tar.closeArchiveEntry();
                    // then write through the link, as an attacker would
                    file(tar, name + "/owned-through-link", "owned\n".getBytes(StandardCharsets.UTF_8), 0644);
                }
                default -> throw new IllegalArgumentException(kind);
            }
        }
        return bytes.toByteArray();
    }

    private static void dir(TarArchiveOutputStream tar, String name) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode(040755);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }

    private static void file(TarArchiveOutputStream tar, String name, byte[] content, int mode) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        e.setSize(content.length);
        e.setMode(0100000 | mode);
        tar.putArchiveEntry(e);
        tar.write(content);
        tar.closeArchiveEntry();
    }
}
