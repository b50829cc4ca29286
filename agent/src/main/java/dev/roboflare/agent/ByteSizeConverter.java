package dev.roboflare.agent;

import java.util.Locale;
import picocli.CommandLine;

/** Byte sizes on the command line and in the config file: {@code 0}, {@code 512K}, {@code 64M}, {@code 2G}. */
final class ByteSizeConverter implements CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
        String v = value.trim().toUpperCase(Locale.ROOT).replaceFirst("I?B$", "");
        long unit = 1;
        if (!v.isEmpty() && "KMG".indexOf(v.charAt(v.length() - 1)) >= 0) {
            unit = 1L << (10 * ("KMG".indexOf(v.charAt(v.length() - 1)) + 1));
            v = v.substring(0, v.length() - 1);
        }
        try {
            long n = Long.parseLong(v);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return Math.multiplyExact(n, unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a size like 0, 512K, 64M or 2G");
        }
    }
}
