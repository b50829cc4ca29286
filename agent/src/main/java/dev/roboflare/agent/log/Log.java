package dev.roboflare.agent.log;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The agent's whole logging: one line per meaningful step on stdout, prefixed with the journald priority
 * ({@code <6>} info, {@code <5>} notice, {@code <4>} warning, {@code <3>} error) so that
 * {@code journalctl -p warning -u roboflare-agent} works without any configuration. When journald's socket exists,
 * the same line goes there instead through its native protocol, with the fields as journal fields
 * ({@link JournaldSink}). Fields are {@code key=value};
 * values with spaces or quotes are double-quoted. No framework, no threads, no buffering beyond one line.
 *
 * <pre>{@code Log.info().kv("deployment", id).kv("release", "1.2.0").kv("step", "download").kv("outcome", "ok").emit();}</pre>
 */
public final class Log {
    public enum Priority {
        ERROR(3), WARNING(4), NOTICE(5), INFO(6);

        final int code;

        Priority(int code) {
            this.code = code;
        }
    }

    private static volatile PrintStream out = System.out;
    private static volatile JournaldSink journal;

    private final Priority priority;
    private final StringBuilder line = new StringBuilder(128);
    private final List<String[]> fields = new ArrayList<>(8);

    private Log(Priority priority) {
        this.priority = priority;
    }

    public static Log info() {
        return new Log(Priority.INFO);
    }

    public static Log notice() {
        return new Log(Priority.NOTICE);
    }

    public static Log warn() {
        return new Log(Priority.WARNING);
    }

    public static Log error() {
        return new Log(Priority.ERROR);
    }

    public static Log at(Priority priority) {
        return new Log(priority);
    }

    /** Tests redirect the log to capture it; production always writes to stdout. */
    public static void redirect(PrintStream stream) {
        out = stream;
    }

    /** Sends every line to journald's native socket instead of stdout (null: back to stdout). */
    public static void useJournal(JournaldSink sink) {
        journal = sink;
    }

    /** Adds {@code key=value}; a null value is left out, so callers need no ifs for optional fields. */
    public Log kv(String key, Object value) {
        if (value == null) {
            return this;
        }
        if (line.length() > 0) {
            line.append(' ');
        }
        line.append(key).append('=').append(quote(String.valueOf(value)));
        fields.add(new String[] {key, String.valueOf(value)});
        return this;
    }

    /** A free-text sentence for the technician, written as {@code msg="..."}. */
    public Log msg(String message) {
        return kv("msg", message);
    }

    public void emit() {
        JournaldSink sink = journal;
        if (sink != null && sink.send(priority.code, line.toString(), fields)) {
            return;
        }
        String text = "<" + priority.code + ">" + line;
        PrintStream stream = out;
        synchronized (Log.class) {
            stream.println(text);
            stream.flush();
        }
    }

    private boolean sendTo(JournaldSink sink) {
        return sink.send(priority.code, line.toString(), fields);
    }

    /** A bare sentence after the priority prefix (for the few lines that are not a step). */
    public static void text(Priority priority, String text) {
        JournaldSink sink = journal;
        if (sink != null && sink.send(priority.code, text, List.of())) {
            return;
        }
        PrintStream stream = out;
        synchronized (Log.class) {
            stream.println("<" + priority.code + ">" + text);
            stream.flush();
        }
    }

    /** A real bug: the one place a stack trace is printed. */
    public static void bug(String what, Throwable t) {
        JournaldSink sink = journal;
        if (sink != null) {
            java.io.StringWriter trace = new java.io.StringWriter();
            t.printStackTrace(new java.io.PrintWriter(trace));
            Log entry = error().kv("step", "bug").msg(what + ": " + t);
            entry.fields.add(new String[] {"trace", trace.toString()}); // a TRACE field, not part of MESSAGE
            if (entry.sendTo(sink)) {
                return;
            }
        }
        error().kv("step", "bug").msg(what + ": " + t).emit();
        synchronized (Log.class) {
            t.printStackTrace(out);
            out.flush();
        }
    }

    static String quote(String v) {
        if (v.isEmpty()) {
            return "\"\"";
        }
        boolean plain = true;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c <= ' ' || c == '"' || c == '=' || c == '\\' || c > '~') {
                plain = false;
                break;
            }
        }
        if (plain) {
            return v;
        }
        StringBuilder b = new StringBuilder(v.length() + 8).append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> b.append(c < ' ' ? String.format(Locale.ROOT, "\\u%04x", (int) c) : c);
            }
        }
        return b.append('"').toString();
    }

    /** A short form of a long id for log lines (full ids are in state.json and the events). */
    public static String shortSha(String sha) {
        return sha == null || sha.length() <= 12 ? sha : sha.substring(0, 12) + "…";
    }
}
