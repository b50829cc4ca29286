package dev.roboflare.agent.executor.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Which slot runs now, and which boot this is. */
final class BootedSlot {
    private BootedSlot() {
    }

    /**
     * The running slot: the device printed by {@code --booted-slot-command}, else root= (a device, or
     * PARTUUID=…) of the kernel command line. Null when it is none of the slots.
     */
    static String of(ImageSettings s) throws IOException {
        Path device = s.bootedSlotCommand() != null ? Path.of(Tool.shell(s.bootedSlotCommand()).strip())
                : rootOf(Files.readString(s.cmdline()));
        return device == null ? null : s.slots().slotOf(device);
    }

    /** A description of where the booted slot came from, for refusals. */
    static String source(ImageSettings s) {
        return s.bootedSlotCommand() != null ? "--booted-slot-command '" + s.bootedSlotCommand() + "'"
                : "root= in " + s.cmdline();
    }

    static Path rootOf(String cmdline) {
        for (String arg : cmdline.strip().split("\\s+")) {
            if (arg.startsWith("root=PARTUUID=")) {
                return Path.of("/dev/disk/by-partuuid", arg.substring("root=PARTUUID=".length()).toLowerCase(
                        java.util.Locale.ROOT));
            }
            if (arg.startsWith("root=/")) {
                return Path.of(arg.substring("root=".length()));
            }
        }
        return null;
    }

    static String bootId(ImageSettings s) throws IOException {
        return Files.readString(s.bootIdFile()).strip();
    }
}
