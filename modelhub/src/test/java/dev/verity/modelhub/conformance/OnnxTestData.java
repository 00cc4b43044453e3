package dev.verity.modelhub.conformance;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where ONNX's backend test data lives. The tests that need it fail (never skip) when it is missing, so that a CI
 * machine without it cannot report green.
 */
public final class OnnxTestData {
    /** Installed by the Debian/Ubuntu package libonnx-testdata. */
    public static final Path ROOT = Path.of(System.getProperty("onnx.testdata", "/usr/share/libonnx-testdata/data"));

    private OnnxTestData() {}

    /** The folder {@code ROOT/relative}; fails the calling test if it does not exist. */
    public static Path require(String relative) {
        Path dir = ROOT.resolve(relative);
        if (!Files.isDirectory(dir)) {
            fail("ONNX backend test data not found at " + dir + ". Install it with `apt-get install"
                    + " libonnx-testdata` (or point -Donnx.testdata at a copy of onnx/backend/test/data).");
        }
        return dir;
    }
}
