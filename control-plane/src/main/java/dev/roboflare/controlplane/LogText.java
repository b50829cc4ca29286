package dev.roboflare.controlplane;

/**
 * Caller-supplied text on its way into a log line: control characters (a newline would start a forged line of
 * its own) become escapes, and very long values are cut, so one request always makes exactly one line.
 */
public final class LogText {
    private static final int MAX = 200;

    private LogText() {
    }

    public static String of(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), MAX) + 8);
        for (int i = 0; i < value.length() && out.length() < MAX; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.length() >= MAX && value.length() > MAX ? out + "…" : out.toString();
    }

    /** The first control character in {@code value}, or -1: names refuse them (400). */
    public static int firstControl(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                return i;
            }
        }
        return -1;
    }
}
