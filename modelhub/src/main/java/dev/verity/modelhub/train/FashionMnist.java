package dev.verity.modelhub.train;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Fashion-MNIST (Zalando Research, MIT licence): 28×28 grey-scale images of 10 kinds of clothing, in the
 * official split of 60,000 training and 10,000 test images, read from the gzipped IDX files that
 * Debian's {@code dataset-fashion-mnist} package installs in {@link #DEFAULT_DIR}. Pixels are scaled
 * to pixel/255.
 */
public final class FashionMnist {
    public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte.gz";
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte.gz";
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte.gz";
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte.gz";

    private static final int IMAGES_MAGIC = 0x00000803;
    private static final int LABELS_MAGIC = 0x00000801;

    private FashionMnist() {}

    /** Whether all four files are in {@code dir}. */
    public static boolean isInstalled(Path dir) {
        return List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS).stream()
                .allMatch(f -> Files.isRegularFile(dir.resolve(f)));
    }

    /** The official split from {@link #DEFAULT_DIR}. */
    public static Split load() {
        return load(DEFAULT_DIR);
    }

    /** The official split: 60,000 training and 10,000 test images. */
    public static Split load(Path dir) {
        return new Split(read(dir, "fashion-train", TRAIN_IMAGES, TRAIN_LABELS),
                read(dir, "fashion-test", TEST_IMAGES, TEST_LABELS));
    }

    /** Only the 10,000 test images. */
    public static Dataset loadTest(Path dir) {
        return read(dir, "fashion-test", TEST_IMAGES, TEST_LABELS);
    }

    private static Dataset read(Path dir, String name, String imagesFile, String labelsFile) {
        for (String f : List.of(imagesFile, labelsFile)) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                throw new IllegalStateException("Fashion-MNIST is not installed: " + dir.resolve(f)
                        + " is missing; install it with `apt-get install dataset-fashion-mnist`"
                        + " (or pass the directory holding the four IDX .gz files)");
            }
        }
        try {
            float[][] images = readImages(dir.resolve(imagesFile));
            int[] labels = readLabels(dir.resolve(labelsFile));
            if (images.length != labels.length) {
                throw new IllegalStateException(dir + ": " + images.length + " images but " + labels.length + " labels");
            }
            return new Dataset(name, images, labels, 1, 28, 28, 10);
        } catch (IOException e) {
            throw new UncheckedIOException("reading Fashion-MNIST from " + dir, e);
        }
    }

    private static float[][] readImages(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            int count = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            if (magic != IMAGES_MAGIC || rows != 28 || cols != 28 || count < 0) {
                throw new IOException(file + " is not a 28×28 IDX image file (magic " + Integer.toHexString(magic) + ")");
            }
            byte[] pixels = new byte[rows * cols];
            float[][] images = new float[count][];
            for (int i = 0; i < count; i++) {
                in.readFully(pixels);
                float[] image = new float[pixels.length];
                for (int p = 0; p < pixels.length; p++) {
                    image[p] = (pixels[p] & 0xFF) / 255f;
                }
                images[i] = image;
            }
            return images;
        }
    }

    private static int[] readLabels(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            int count = in.readInt();
            if (magic != LABELS_MAGIC || count < 0) {
                throw new IOException(file + " is not an IDX label file (magic " + Integer.toHexString(magic) + ")");
            }
            byte[] bytes = new byte[count];
            in.readFully(bytes);
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = bytes[i] & 0xFF;
            }
            return labels;
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        return new DataInputStream(new BufferedInputStream(new GZIPInputStream(Files.newInputStream(file), 1 << 16), 1 << 16));
    }
}
