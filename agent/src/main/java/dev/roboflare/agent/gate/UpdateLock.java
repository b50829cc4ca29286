package dev.roboflare.agent.gate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import jnr.constants.platform.Errno;
import jnr.constants.platform.OpenFlags;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

/**
 * The update lock (balena's convention): an app holds flock(2) on the file, shared or exclusive, while it must not
 * be disturbed. The agent takes an exclusive non-blocking flock for the gate and keeps it through the switch and
 * the watch, so an app cannot start a critical section halfway through an update. flock(2) and not
 * FileChannel.tryLock: the JDK takes fcntl record locks, which never conflict with an app's flock on Linux.
 */
final class UpdateLock {
    private static final int LOCK_EX = 2;
    private static final int LOCK_NB = 4;

    /**
     * jnr-posix's bindings (a few hundred classes, about 2 MB resident) load at the first flock, not when the agent
     * starts: an idle agent never takes the lock.
     */
    private static final class Native {
        static final POSIX POSIX = POSIXFactory.getNativePOSIX();
    }

    private final Path file;
    private int fd = -1;

    UpdateLock(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    boolean held() {
        return fd >= 0;
    }

    /** True when the agent holds the lock (now or already); false when an app holds it. */
    boolean tryHold() throws IOException {
        if (fd >= 0) {
            return true;
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        int f = Native.POSIX.open(file.toString(), OpenFlags.O_RDWR.intValue() | OpenFlags.O_CREAT.intValue()
                | OpenFlags.O_CLOEXEC.intValue(), 0644);
        if (f < 0) {
            throw new IOException("cannot open the update lock " + file + ": "
                    + Errno.valueOf(Native.POSIX.errno()));
        }
        if (Native.POSIX.flock(f, LOCK_EX | LOCK_NB) == 0) {
            // apps of other users open it to take their own lock (the agent's umask is 027)
            Native.POSIX.fchmod(f, 0644);
            fd = f;
            return true;
        }
        int err = Native.POSIX.errno();
        Native.POSIX.close(f);
        if (err == Errno.EWOULDBLOCK.intValue() || err == Errno.EAGAIN.intValue()) {
            return false;
        }
        throw new IOException("cannot flock the update lock " + file + ": " + Errno.valueOf(err));
    }

    /** Lets apps take the lock again (closing the descriptor drops the flock). */
    void release() {
        if (fd >= 0) {
            Native.POSIX.close(fd);
            fd = -1;
        }
    }
}
