package dev.roboflare.agent.testing;

import dev.roboflare.agent.log.Log;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Captures the agent's log lines (and still prints them, so a failing test shows what the agent said). */
public final class LogCapture implements AutoCloseable {
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

    public LogCapture() {
        PrintStream console = System.out;
        Log.redirect(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (buf) {
                    buf.write(b);
                }
                console.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (buf) {
                    buf.write(b, off, len);
                }
                console.write(b, off, len);
            }
        }, true, StandardCharsets.UTF_8));
    }

    public String text() {
        synchronized (buf) {
            return buf.toString(StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        Log.redirect(System.out);
    }
}
