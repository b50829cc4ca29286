package dev.roboflare.agent.executor.image;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The two root slots: the boot variable's value for each (OT-2 {@code ot2part}, Flex {@code root_part}: 2 or 3)
 * and its block device. Parsed from {@code --slots 2=/dev/mmcblk0p2,3=/dev/mmcblk0p3}.
 */
record Slots(String variable, Map<String, Path> devices) {

    static Slots parse(String variable, String spec) {
        Map<String, Path> m = new LinkedHashMap<>();
        for (String part : spec.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0 || eq == part.length() - 1) {
                throw new IllegalArgumentException("--slots '" + spec + "': each slot is VALUE=DEVICE, for example "
                        + "2=/dev/mmcblk0p2,3=/dev/mmcblk0p3");
            }
            m.put(part.substring(0, eq).trim(), Path.of(part.substring(eq + 1).trim()));
        }
        if (m.size() != 2) {
            throw new IllegalArgumentException("--slots '" + spec + "' names " + m.size() + " slots; A/B needs two");
        }
        return new Slots(variable, m);
    }

    /** The slot that is not {@code slot}. */
    String other(String slot) {
        return devices.keySet().stream().filter(s -> !s.equals(slot)).findFirst().orElseThrow();
    }

    Path device(String slot) {
        return devices.get(slot);
    }

    /** The slot whose device is {@code device} (compared after resolving links), or null. */
    String slotOf(Path device) {
        for (var e : devices.entrySet()) {
            if (sameFile(e.getValue(), device)) {
                return e.getKey();
            }
        }
        return null;
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return a.toRealPath().equals(b.toRealPath());
        } catch (java.io.IOException e) {
            return a.normalize().equals(b.normalize());
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(variable).append(':');
        devices.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
        return sb.toString();
    }
}
