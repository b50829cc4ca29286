package dev.roboflare.protocol;

import java.nio.charset.StandardCharsets;

/**
 * The few fields of a tar header (ustar, GNU, pax) both sides of a delta download read: the control plane cuts a
 * tar's chunks at its entries ({@link ChunkIndex}), the agent finds an installed release's files in the tar stream.
 */
public final class TarHeaders {
    public static final int BLOCK = 512;

    private TarHeaders() {
    }

    /** The bytes of data after this 512-byte header, or -1 when it is not a valid header (checksum, size). */
    public static long dataSize(byte[] h) {
        long stored = octal(h, 148, 8);
        if (stored < 0) {
            return -1;
        }
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : h[i] & 0xff;
        }
        if (sum != stored) {
            return -1;
        }
        byte type = h[156];
        if (type >= '1' && type <= '6') { // links, devices, directories, fifos carry no data
            return 0;
        }
        if ((h[124] & 0x80) != 0) { // GNU base-256 size, for files of 8 GiB and more
            long size = 0;
            for (int i = 125; i < 136; i++) {
                size = (size << 8) | (h[i] & 0xff);
            }
            return size < 0 ? -1 : size;
        }
        return octal(h, 124, 12);
    }

    /** The entry's name from the header alone (ustar's prefix joined to its name). */
    public static String name(byte[] h) {
        String name = field(h, 0, 100);
        boolean ustar = h[257] == 'u' && h[258] == 's' && h[259] == 't' && h[260] == 'a' && h[261] == 'r'
                && h[262] == 0;
        String prefix = ustar ? field(h, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    /** The {@code path} record of a pax extended header, or null. */
    public static String paxPath(byte[] records) {
        int i = 0;
        while (i < records.length) {
            int space = i;
            while (space < records.length && records[space] != ' ') {
                space++;
            }
            int length;
            try {
                length = Integer.parseInt(new String(records, i, space - i, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                return null;
            }
            if (length <= 0 || i + length > records.length) {
                return null;
            }
            String record = new String(records, space + 1, i + length - space - 2, StandardCharsets.UTF_8);
            if (record.startsWith("path=")) {
                return record.substring(5);
            }
            i += length;
        }
        return null;
    }

    /** A member name as a path relative to where the tar is extracted, or null when it climbs out of it. */
    public static String relative(String name) {
        StringBuilder out = new StringBuilder();
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                return null;
            }
            if (out.length() > 0) {
                out.append('/');
            }
            out.append(part);
        }
        return out.length() == 0 ? null : out.toString();
    }

    private static String field(byte[] h, int at, int len) {
        int end = at;
        while (end < at + len && h[end] != 0) {
            end++;
        }
        return new String(h, at, end - at, StandardCharsets.UTF_8);
    }

    /** An octal field padded with spaces or NULs, or -1. */
    private static long octal(byte[] h, int at, int len) {
        String s = new String(h, at, len, StandardCharsets.US_ASCII).replace('\0', ' ').trim();
        if (s.isEmpty() || s.length() > 21) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '7') {
                return -1;
            }
            v = v * 8 + (c - '0');
        }
        return v;
    }
}
