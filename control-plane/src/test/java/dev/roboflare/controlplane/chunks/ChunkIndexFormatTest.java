package dev.roboflare.controlplane.chunks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roboflare.protocol.ChunkIndex;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkIndexFormatTest {
    private static final String A = "a".repeat(64);
    private static final String B = "b".repeat(64);
    private static final String C = "c".repeat(64);

    private static ChunkIndex sample() {
        return new ChunkIndex(ChunkIndex.Over.GUNZIPPED, 16384, 65536, 262144, 16384 + 70000 + 10, "d".repeat(64),
                List.of(new ChunkIndex.Chunk(A, 0, 16384), new ChunkIndex.Chunk(B, 16384, 70000),
                        new ChunkIndex.Chunk(C, 86384, 10)));
    }

    private static ChunkIndex decode(byte[] bytes) throws IOException {
        return ChunkIndex.decode(new ByteArrayInputStream(bytes));
    }

    @Test
    void anIndexReadsBackAsWrittenWithOffsetsFromTheSizes() throws IOException {
        byte[] bytes = sample().encode();

        assertThat(decode(bytes)).isEqualTo(sample());
        assertThat(bytes.length).as("header + 36 bytes a chunk").isEqualTo(8 + 1 + 12 + 8 + 32 + 4 + 3 * 36);
        assertThat(decode(bytes).chunks().get(2).offset()).isEqualTo(86384);
    }

    @Test
    void damagedIndexesAreRefusedSayingWhatIsWrong() {
        byte[] good = sample().encode();
        assertThatThrownBy(() -> decode(Arrays.copyOf(good, good.length - 5))).hasMessageContaining("cut short");
        byte[] longer = Arrays.copyOf(good, good.length + 1);
        assertThatThrownBy(() -> decode(longer)).hasMessageContaining("after its last chunk");
        byte[] magic = good.clone();
        magic[0] = 'X';
        assertThatThrownBy(() -> decode(magic)).hasMessageContaining("not a chunk index");

        byte[] tooBig = good.clone(); // the middle chunk claims more than max
        ByteBuffer.wrap(tooBig).putInt(8 + 1 + 12 + 8 + 32 + 4 + 36 + 32, 300000);
        assertThatThrownBy(() -> decode(tooBig)).hasMessageContaining("chunk 1 has size 300000");

        byte[] tooSmall = good.clone(); // a chunk other than the last below min
        ByteBuffer.wrap(tooSmall).putInt(8 + 1 + 12 + 8 + 32 + 4 + 32, 100);
        assertThatThrownBy(() -> decode(tooSmall)).hasMessageContaining("chunk 0 has size 100");

        byte[] wrongTotal = good.clone();
        ByteBuffer.wrap(wrongTotal).putLong(8 + 1 + 12, 5);
        assertThatThrownBy(() -> decode(wrongTotal)).hasMessageContaining("add up to 86394");
    }
}
