package dev.verity.inference.pkg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verity.core.DecodingException;
import dev.verity.inference.TestPrograms;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelPackageTest {

    static ModelPackage sample() {
        ModelMetadata meta = new ModelMetadata("zoo", List.of(new IoInfo("x", 1, new int[] {-1, 3, 6, 6})),
                List.of(new IoInfo("probs", 1, new int[] {1, 10}), new IoInfo("sm2", 1, new int[] {1, 4, 6, 6})), 12345,
                List.of("Conv", "Gemm", "Softmax"), 9712, 9750);
        return new ModelPackage(new byte[] {8, 1, 2, 3}, TestPrograms.zoo(7), meta);
    }

    @Test
    void encodingIsCanonicalAndRoundTrips() {
        byte[] bytes = sample().encode();
        assertThat(sample().encode()).isEqualTo(bytes);
        assertThat(sample().id()).isEqualTo(sample().id());
        ModelPackage back = ModelPackage.decode(bytes);
        assertThat(back.encode()).isEqualTo(bytes);
        assertThat(back.metadata()).isEqualTo(sample().metadata());
        assertThat(back.onnx()).containsExactly(8, 1, 2, 3);
        assertThat(Arrays.copyOf(bytes, 8)).isEqualTo("VRTYMPKG".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Test
    void malformationsAreDecodingExceptions() {
        byte[] bytes = sample().encode();
        byte[] magic = bytes.clone();
        magic[0] = 'X';
        assertThatThrownBy(() -> ModelPackage.decode(magic)).isInstanceOf(DecodingException.class).hasMessageContaining("magic");
        byte[] version = bytes.clone();
        version[11] = 9;
        assertThatThrownBy(() -> ModelPackage.decode(version)).isInstanceOf(DecodingException.class).hasMessageContaining("version");
        for (int n = 0; n < bytes.length; n += 1 + n / 40) {
            byte[] cut = Arrays.copyOf(bytes, n);
            assertThatThrownBy(() -> ModelPackage.decode(cut)).isInstanceOf(DecodingException.class);
        }
        byte[] trailing = Arrays.copyOf(bytes, bytes.length + 2);
        assertThatThrownBy(() -> ModelPackage.decode(trailing)).isInstanceOf(DecodingException.class);
        // a huge declared ONNX length is refused before allocating
        byte[] huge = bytes.clone();
        huge[12] = 0x7F;
        assertThatThrownBy(() -> ModelPackage.decode(huge)).isInstanceOf(DecodingException.class);
    }

    @Test
    void metadataIsValidated() {
        assertThatThrownBy(() -> new ModelMetadata("m", List.of(), List.of(), 0, List.of("b", "a"), 1, 1))
                .hasMessageContaining("sorted");
        assertThatThrownBy(() -> new ModelMetadata("m", List.of(), List.of(), 0, List.of(), 10_001, 1))
                .hasMessageContaining("basis points");
        assertThat(new ModelMetadata("m", List.of(), List.of(), 0, List.of(), ModelMetadata.UNKNOWN, 0)).isNotNull();
    }
}
