package dev.roboflare.agent.gate;

import dev.roboflare.agent.log.Log;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * {@code --busy-command CMD} (run by /bin/sh): exit 0 free, 75 (EX_TEMPFAIL) busy, anything else an error, logged
 * once until it changes, and counted as unknown. Its first output line, if any, is the reason shown.
 */
final class BusyCommand implements BusySignal {
    static final int BUSY_EXIT = 75;
    private static final long TIMEOUT_S = 30;

    private final String command;
    private String lastError;

    BusyCommand(String command) {
        this.command = command;
    }

    @Override
    public Verdict check(Instant now) {
        Process p;
        String out;
        try {
            p = new ProcessBuilder("/bin/sh", "-c", command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return error("did not finish within " + TIMEOUT_S + "s");
            }
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().findFirst()
                    .orElse("").strip();
        } catch (IOException e) {
            return error("could not run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return error("interrupted");
        }
        int code = p.exitValue();
        if (code == 0) {
            lastError = null;
            return Verdict.FREE;
        }
        if (code == BUSY_EXIT) {
            lastError = null;
            return Verdict.busy(out.isEmpty() ? "busy-command '" + command + "' says busy" : out);
        }
        return error("exited with code " + code + (out.isEmpty() ? "" : ": " + out));
    }

    private Verdict error(String what) {
        String why = "busy-command '" + command + "' " + what + " (expected exit 0 free or 75 busy)";
        if (!why.equals(lastError)) {
            lastError = why;
            Log.error().kv("step", "gate").kv("outcome", "busy-command-error").msg(why).emit();
        }
        return Verdict.unknown(why);
    }
}
