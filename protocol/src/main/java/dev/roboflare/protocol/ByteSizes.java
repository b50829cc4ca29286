package dev.roboflare.protocol;

import java.util.Locale;

/**
 * Byte sizes as people write them on the agent's and the control plane's command lines and config files: {@code 0},
 * {@code 512K}, {@code 64M}, {@code 4G}, {@code 1T} (powers of 1024).
 */
public final class ByteSizes {
    private static final String UNITS = "KMGT";

    private ByteSizes() {
    }

    /** The size in bytes; IllegalArgumentException saying what is accepted otherwise. */
    public static long parse(String value) {
        String v = value == null ? "" : value.trim().toUpperCase(Locale.ROOT).replaceFirst("I?B$", "");
        long unit = 1;
        if (!v.isEmpty() && UNITS.indexOf(v.charAt(v.length() - 1)) >= 0) {
            unit = 1L << (10 * (UNITS.indexOf(v.charAt(v.length() - 1)) + 1));
            v = v.substring(0, v.length() - 1);
        }
        try {
            long n = Long.parseLong(v);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return Math.multiplyExact(n, unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("'" + value + "' is not a size like 0, 512K, 64M, 4G or 1T");
        }
    }

    /** For messages: "4 GiB", "1.5 MiB", "300 bytes". */
    public static String format(long bytes) {
        if (bytes < 1024) {
            return bytes + " bytes";
        }
        int exp = Math.min((63 - Long.numberOfLeadingZeros(bytes)) / 10, UNITS.length());
        double value = bytes / (double) (1L << (10 * exp));
        String number = value == Math.rint(value) ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%.1f", value);
        return number + " " + UNITS.charAt(exp - 1) + "iB";
    }
}
