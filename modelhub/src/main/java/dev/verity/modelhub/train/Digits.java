package dev.verity.modelhub.train;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The scikit-learn "digits" data set, shipped in this module as {@code /datasets/digits.csv.gz}:
 * 1,797 handwritten digits as 1×8×8 images with pixels 0..16 (scaled here to pixel/16), labels 0..9.
 * See {@code datasets/DIGITS-ATTRIBUTION.md} for its source and licence.
 *
 * <p>The fixed split ({@link #split()}): a seeded shuffle with {@link #SPLIT_SEED} and 20% held out,
 * giving {@link #TRAIN_SIZE} = 1,438 training and {@link #TEST_SIZE} = 359 test images.
 */
public final class Digits {
    public static final String RESOURCE = "/datasets/digits.csv.gz";
    public static final int ROWS = 1797;
    public static final long SPLIT_SEED = 42;
    public static final double TEST_FRACTION = 0.2;
    public static final int TEST_SIZE = 359;
    public static final int TRAIN_SIZE = ROWS - TEST_SIZE;

    private Digits() {}

    /** All 1,797 rows, in file order. */
    public static Dataset load() {
        InputStream resource = Digits.class.getResourceAsStream(RESOURCE);
        if (resource == null) {
            throw new IllegalStateException("resource " + RESOURCE + " is missing from the classpath");
        }
        List<float[]> inputs = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(new GZIPInputStream(resource), StandardCharsets.US_ASCII))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",");
                if (cells.length != 65) {
                    throw new IllegalStateException(RESOURCE + " line " + (labels.size() + 1) + ": " + cells.length
                            + " values, expected 64 pixels and a label");
                }
                float[] pixels = new float[64];
                for (int i = 0; i < 64; i++) {
                    pixels[i] = Float.parseFloat(cells[i]) / 16f;
                }
                inputs.add(pixels);
                labels.add((int) Float.parseFloat(cells[64]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + RESOURCE, e);
        }
        int[] y = labels.stream().mapToInt(Integer::intValue).toArray();
        return new Dataset("digits", inputs.toArray(new float[0][]), y, 1, 8, 8, 10);
    }

    /** The fixed 1,438 / 359 train/test split. */
    public static Split split() {
        return load().shuffledSplit(TEST_FRACTION, SPLIT_SEED);
    }
}
