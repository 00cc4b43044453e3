package dev.verity.modelhub.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {
    @Test
    void missingFilesSayHowToInstallThem(@TempDir Path empty) {
        assertThat(FashionMnist.isInstalled(empty)).isFalse();
        assertThatThrownBy(() -> FashionMnist.load(empty)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("apt-get install dataset-fashion-mnist")
                .hasMessageContaining(empty.resolve(FashionMnist.TRAIN_IMAGES).toString());
    }

    /** Runs where Debian's dataset-fashion-mnist is installed. */
    @Test
    void officialSplitOf60000And10000() {
        assumeTrue(FashionMnist.isInstalled(FashionMnist.DEFAULT_DIR), "dataset-fashion-mnist is not installed");
        Split split = FashionMnist.load();
        assertThat(split.train().size()).isEqualTo(60_000);
        assertThat(split.test().size()).isEqualTo(10_000);
        assertThat(split.train().classCounts()).containsOnly(6_000);
        assertThat(split.test().classCounts()).containsOnly(1_000);
        assertThat(split.test().features()).isEqualTo(784);
        float max = 0;
        for (float[] image : split.test().inputs()) {
            for (float v : image) {
                assertThat(v).isBetween(0f, 1f);
                max = Math.max(max, v);
            }
        }
        assertThat(max).isEqualTo(1f);
        // The first test image is an ankle boot (class 9), the first training image too.
        assertThat(split.test().labels()[0]).isEqualTo(9);
        assertThat(split.train().labels()[0]).isEqualTo(9);
    }
}
