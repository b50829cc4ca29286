package dev.roboflare.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The pid files the test apps write on each start (TestApps.manifest): read, wait for, and clean up after. */
final class AppPids {
    private AppPids() {
    }

    static Optional<Long> read(Path pidFile) {
        try {
            return Optional.of(Long.parseLong(Files.readString(pidFile).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** The PID the app wrote, once that process is alive (the app rewrites the file on each start); 20 s at most. */
    static long awaitAlive(Path pidFile) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            Optional<Long> pid = read(pidFile);
            if (pid.isPresent() && alive(pid.get())) {
                return pid.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no live app process recorded in " + pidFile);
    }

    /** Kills the recorded app and its children, so a failed test leaves no app running on the machine. */
    static void kill(Path pidFile) {
        read(pidFile).flatMap(ProcessHandle::of).ifPresent(p -> {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        });
    }
}
