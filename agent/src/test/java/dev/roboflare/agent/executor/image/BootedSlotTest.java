package dev.roboflare.agent.executor.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BootedSlotTest {
    @Test
    void rootIsReadAsADeviceOrAPartuuid() {
        assertThat(BootedSlot.rootOf("console=serial0,115200 root=/dev/mmcblk0p3 rootfstype=ext4 rootwait"))
                .isEqualTo(Path.of("/dev/mmcblk0p3"));
        assertThat(BootedSlot.rootOf("BOOT_IMAGE=/vmlinuz root=PARTUUID=8F1C2A03-02 ro quiet"))
                .isEqualTo(Path.of("/dev/disk/by-partuuid/8f1c2a03-02"));
        assertThat(BootedSlot.rootOf("root=LABEL=rootfs ro")).as("a label names no slot device").isNull();
    }

    @Test
    void slotsAreTwoValueDevicePairs() {
        Slots s = Slots.parse("ot2part", "2=/dev/mmcblk0p2, 3=/dev/mmcblk0p3");
        assertThat(s.other("2")).isEqualTo("3");
        assertThat(s.slotOf(Path.of("/dev/mmcblk0p3"))).isEqualTo("3");
        assertThatThrownBy(() -> Slots.parse("ot2part", "/dev/mmcblk0p2,/dev/mmcblk0p3"))
                .hasMessageContaining("each slot is VALUE=DEVICE");
        assertThatThrownBy(() -> Slots.parse("ot2part", "2=/dev/mmcblk0p2"))
                .hasMessageContaining("A/B needs two");
    }
}
