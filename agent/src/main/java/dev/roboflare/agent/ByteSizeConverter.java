package dev.roboflare.agent;

import dev.roboflare.protocol.ByteSizes;
import picocli.CommandLine;

/** {@link ByteSizes} on the command line and in the config file: {@code 0}, {@code 512K}, {@code 64M}, {@code 2G}. */
final class ByteSizeConverter implements CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
        try {
            return ByteSizes.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
