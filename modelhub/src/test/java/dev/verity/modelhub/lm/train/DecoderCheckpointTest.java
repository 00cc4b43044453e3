package dev.verity.modelhub.lm.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verity.modelhub.lm.DecoderConfig;
import dev.verity.modelhub.lm.DecoderWeights;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DecoderCheckpointTest {
    private static final DecoderConfig CONFIG = new DecoderConfig(11, 5, 2, 2, 4, 6);
    private static final ParameterLayout LAYOUT = ParameterLayout.of(CONFIG);
    private static final DecoderWeights WEIGHTS = LAYOUT.toWeights(DecoderBackpropagationTest.randomValues(LAYOUT, 9, 1));

    @Test
    void roundTripsConfigAndWeightsThroughAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("decoder.ckpt");
        DecoderCheckpoint.write(WEIGHTS, file);
        DecoderWeights read = DecoderCheckpoint.read(file);
        assertThat(read.config()).isEqualTo(CONFIG);
        assertThat(LAYOUT.flatten(read)).containsExactly(LAYOUT.flatten(WEIGHTS));
        assertThat(DecoderCheckpoint.toBytes(read)).isEqualTo(DecoderCheckpoint.toBytes(WEIGHTS));
    }

    @Test
    void saysWhereATruncatedFileEnds() {
        byte[] bytes = DecoderCheckpoint.toBytes(WEIGHTS);
        assertThatThrownBy(() -> DecoderCheckpoint.fromBytes(Arrays.copyOf(bytes, 30)))
                .hasMessage("the checkpoint is truncated: it ends at byte 30 while reading width");
        assertThatThrownBy(() -> DecoderCheckpoint.fromBytes(Arrays.copyOf(bytes, bytes.length - 3)))
                .hasMessageContaining("while reading the checksum");
        assertThatThrownBy(() -> DecoderCheckpoint.fromBytes(Arrays.copyOf(bytes, 200)))
                .hasMessageContaining("while reading transformer.");
    }

    @Test
    void rejectsOtherFilesVersionsCorruptionAndTrailingBytes() {
        byte[] bytes = DecoderCheckpoint.toBytes(WEIGHTS);
        assertThatThrownBy(() -> DecoderCheckpoint.fromBytes("PK\3\4 a zip file".getBytes()))
                .hasMessageContaining("not a decoder checkpoint: it starts with PK?? a z");
        byte[] version = bytes.clone();
        version[11] = 2;
        assertThatThrownBy(() -> DecoderCheckpoint.fromBytes(version)).hasMessageContaining("version 2 is not supported");
        byte[] flipped = bytes.clone();
        flipped[bytes.length - 20] ^= 1;
        assertThatThrownBy(() -> DecoderCheckpoint.fromBytes(flipped)).hasMessageContaining("checksum mismatch");
        assertThatThrownBy(() -> DecoderCheckpoint.fromBytes(Arrays.copyOf(bytes, bytes.length + 2)))
                .hasMessageContaining("2 unexpected bytes after the checksum");
    }

    @Test
    void rejectsTensorsThatDoNotFitTheConfig() {
        byte[] bytes = DecoderCheckpoint.toBytes(WEIGHTS);
        byte[] wider = bytes.clone();
        wider[12 + 4 * 4 + 3] = 8; // width 4 → 8: the first tensor's shape no longer fits
        assertThatThrownBy(() -> DecoderCheckpoint.fromBytes(wider))
                .hasMessageContaining("found tensor 'transformer.wte.weight' [11, 4] where DecoderConfig[vocabSize=11")
                .hasMessageContaining("expects 'transformer.wte.weight' [11, 8]");
    }
}
