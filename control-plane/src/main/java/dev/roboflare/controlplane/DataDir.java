package dev.roboflare.controlplane;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data dir holds the database, the artifacts and the secrets: only the server's user may read it, whatever the
 * umask it was started with. The dir is made 0700 and the SQLite database 0600 before SQLite opens it (SQLite gives
 * its -wal and -shm files the database's mode); a data dir from an older version is tightened the same way.
 */
public final class DataDir {
    private static final Logger log = LoggerFactory.getLogger(DataDir.class);
    public static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    static final String DATABASE = "roboflare.db";

    private DataDir() {
    }

    static void prepare(Path dir) throws IOException {
        if (Files.isDirectory(dir) && Files.getPosixFilePermissions(dir).contains(PosixFilePermission.OTHERS_WRITE)) {
            // e.g. /tmp itself: making it 0700 would break every other user of it
            throw new IOException("the data dir " + dir.toAbsolutePath().normalize() + " is writable by every user; "
                    + "give --data-dir a directory of its own, e.g. /var/lib/roboflare-control-plane");
        }
        createPrivateDirectories(dir);
        Path db = dir.resolve(DATABASE);
        if (!Files.exists(db)) {
            Files.createFile(db, PosixFilePermissions.asFileAttribute(FILE));
        }
        for (String name : new String[] {DATABASE, DATABASE + "-wal", DATABASE + "-shm"}) {
            tighten(dir.resolve(name), FILE);
        }
    }

    /** Like Files.createDirectories, each new dir 0700; an existing {@code dir} itself is tightened to 0700. */
    public static Path createPrivateDirectories(Path dir) throws IOException {
        FileAttribute<Set<PosixFilePermission>> owner = PosixFilePermissions.asFileAttribute(DIR);
        Files.createDirectories(dir, owner);
        tighten(dir, DIR);
        return dir;
    }

    private static void tighten(Path path, Set<PosixFilePermission> wanted) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path);
        if (!perms.equals(wanted)) {
            log.warn("{} had mode {}; setting it to {}", path.toAbsolutePath().normalize(),
                    PosixFilePermissions.toString(perms), PosixFilePermissions.toString(wanted));
            Files.setPosixFilePermissions(path, wanted);
        }
    }
}
