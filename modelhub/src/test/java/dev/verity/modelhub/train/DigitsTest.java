package dev.verity.modelhub.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DigitsTest {
    @Test
    void readsAll1797RowsWithLabels0To9() {
        Dataset digits = Digits.load();
        assertThat(digits.size()).isEqualTo(Digits.ROWS).isEqualTo(1797);
        assertThat(digits.features()).isEqualTo(64);
        assertThat(digits.classes()).isEqualTo(10);
        assertThat(Arrays.stream(digits.labels()).min().getAsInt()).isZero();
        assertThat(Arrays.stream(digits.labels()).max().getAsInt()).isEqualTo(9);
        assertThat(Arrays.stream(digits.classCounts()).boxed()).allSatisfy(count -> assertThat(count).isBetween(170, 190));
        for (float[] row : digits.inputs()) {
            for (float v : row) {
                assertThat(v).isBetween(0f, 1f);
            }
        }
        // The first row of the file: 0,0,5,13,9,1,0,0,... label 0.
        assertThat(digits.labels()[0]).isZero();
        assertThat(Arrays.copyOf(digits.inputs()[0], 4)).containsExactly(0f, 0f, 5f / 16, 13f / 16);
        assertThat(digits.labels()[1796]).isEqualTo(8);
    }

    @Test
    void splitIsFixedDisjointAndComplete() {
        Split split = Digits.split();
        Split again = Digits.split();
        assertThat(split.train().size()).isEqualTo(Digits.TRAIN_SIZE).isEqualTo(1438);
        assertThat(split.test().size()).isEqualTo(Digits.TEST_SIZE).isEqualTo(359);
        assertThat(again.test().labels()).isEqualTo(split.test().labels());
        assertThat(again.train().labels()).isEqualTo(split.train().labels());
        assertThat(again.test().inputs()).isDeepEqualTo(split.test().inputs());
        // Every class is in the test set.
        assertThat(Arrays.stream(split.test().classCounts()).min().getAsInt()).isGreaterThan(20);
        // Train ∪ test is the whole data set, row for row.
        List<String> all = rows(Digits.load());
        List<String> parts = rows(split.train());
        parts.addAll(rows(split.test()));
        parts.sort(null);
        all.sort(null);
        assertThat(parts).isEqualTo(all);
        // Another seed gives another split.
        Split other = Digits.load().shuffledSplit(Digits.TEST_FRACTION, Digits.SPLIT_SEED + 1);
        assertThat(other.test().size()).isEqualTo(359);
        assertThat(rows(other.test())).isNotEqualTo(rows(split.test()));
    }

    private static List<String> rows(Dataset d) {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < d.size(); i++) {
            rows.add(Arrays.toString(d.inputs()[i]) + d.labels()[i]);
        }
        return rows;
    }
}
