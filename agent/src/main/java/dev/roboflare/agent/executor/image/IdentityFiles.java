package dev.roboflare.agent.executor.image;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The robot's identity (default /etc/machine-id) copied into the freshly written root, as Opentrons' update
 * server does, so the new OS is the same robot. Only an ext4 root can be mounted and changed; any other file
 * system is left as written and the log says so.
 */
final class IdentityFiles {
    private static final int EXT_MAGIC_OFFSET = 1024 + 0x38;

    private IdentityFiles() {
    }

    /** What was done, for the write phase's log line. */
    static String carry(List<Path> files, Path device) throws IOException {
        if (files.isEmpty()) {
            return "no identity files to carry";
        }
        if (!isExt(device)) {
            return "identity files not carried: the new root is not an ext4 file system";
        }
        Path mnt = Files.createTempDirectory("roboflare-newroot");
        List<String> carried = new ArrayList<>();
        try {
            Tool.run(List.of("mount", "-t", "ext4", device.toString(), mnt.toString()));
            try {
                for (Path f : files) {
                    if (Files.isRegularFile(f)) {
                        Path to = mnt.resolve(f.toString().replaceFirst("^/+", ""));
                        Files.createDirectories(to.getParent());
                        Files.copy(f, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                        carried.add(f.toString());
                    }
                }
                Tool.run(List.of("sync", "-f", mnt.toString()));
            } finally {
                Tool.run(List.of("umount", mnt.toString()));
            }
        } finally {
            Files.deleteIfExists(mnt);
        }
        return carried.isEmpty() ? "none of " + files + " exist here; nothing carried"
                : "carried " + String.join(",", carried) + " into the new root (mounted as ext4)";
    }

    private static boolean isExt(Path device) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(2);
        try (FileChannel c = FileChannel.open(device, StandardOpenOption.READ)) {
            c.read(b, EXT_MAGIC_OFFSET);
        }
        return (b.get(0) & 0xff) == 0x53 && (b.get(1) & 0xff) == 0xEF;
    }
}
