package dev.roboflare.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ByteSizesTest {

    @Test
    void parsesWhatOperatorsWriteInPowersOf1024() {
        assertThat(ByteSizes.parse("0")).isZero();
        assertThat(ByteSizes.parse("512K")).isEqualTo(512L * 1024);
        assertThat(ByteSizes.parse(" 64mib ")).isEqualTo(64L << 20);
        assertThat(ByteSizes.parse("2GB")).isEqualTo(2L << 30);
        assertThat(ByteSizes.parse("1T")).isEqualTo(1L << 40);
    }

    @Test
    void refusesNegativeOverflowingAndUnknownSizesSayingWhatIsAccepted() {
        for (String bad : new String[] {"-1", "12X", "", "9999999999T", "1.5G"}) {
            assertThatThrownBy(() -> ByteSizes.parse(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not a size like 0, 512K, 64M, 4G or 1T");
        }
    }

    @Test
    void formatsForMessagesInTheLargestWholeUnit() {
        assertThat(ByteSizes.format(300)).isEqualTo("300 bytes");
        assertThat(ByteSizes.format(1536 * 1024)).isEqualTo("1.5 MiB");
        assertThat(ByteSizes.format(4L << 30)).isEqualTo("4 GiB");
    }
}
