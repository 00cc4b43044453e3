package dev.verity.devnet;

import dev.verity.inference.pkg.ModelPackage;
import dev.verity.modelhub.graph.Graph;
import dev.verity.modelhub.hub.ExampleFiles;
import dev.verity.modelhub.hub.Examples;
import dev.verity.modelhub.hub.ModelImporter;
import dev.verity.modelhub.onnx.OnnxParser;
import dev.verity.service.model.ModelStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The devnet's integer-engine model: the shipped digits MLP (trained on the scikit-learn digits
 * data), imported into a package with the digits training split as calibration data. The import is
 * deterministic, so every devnet builds the same package id.
 */
public final class DigitsPackage {
    public static final String RESOURCE = "/models/digits-mlp.onnx";
    public static final String NAME = "digits-mlp-int8";

    private DigitsPackage() {}

    public static ModelPackage build() {
        byte[] onnx;
        try (InputStream in = DigitsPackage.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the digits model " + RESOURCE + " is missing from the classpath");
            }
            onnx = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Graph graph = new OnnxParser().parse(onnx);
        Examples calibration = ExampleFiles.read("digits:train", graph);
        Examples evaluation = ExampleFiles.read("digits:test", graph);
        return ModelImporter.importModel(onnx, calibration, evaluation, ModelImporter.Options.named(NAME)).modelPackage();
    }

    /** Builds the package and stores it as {@code <id>.vpkg}; returns it. */
    public static ModelPackage install(ModelStore store) {
        ModelPackage pkg = build();
        String hex = store.put(pkg.encode(), ".vpkg");
        if (!hex.equals(pkg.id().hex())) {
            throw new IllegalStateException("stored package hash " + hex + " differs from its id " + pkg.id().hex());
        }
        return pkg;
    }
}
