package dev.roboflare.controlplane;

import dev.roboflare.protocol.ByteSizes;
import picocli.CommandLine;

/** {@link ByteSizes} on the command line. */
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
