package dev.verity.cli;

import dev.verity.core.DecodingException;
import dev.verity.core.Hash;
import dev.verity.core.Sha256;
import dev.verity.inference.pkg.IoInfo;
import dev.verity.inference.pkg.ModelMetadata;
import dev.verity.inference.pkg.ModelPackage;
import dev.verity.modelhub.onnx.OnnxParser;
import dev.verity.service.model.ModelStore;
import dev.verity.service.model.ModelStoreException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;

/**
 * The local model store ({@code --store DIR}) and model packages ({@code <id>.vpkg}) as the {@code model} commands
 * use them: finding a package by id or file, and describing its metadata.
 */
final class LocalModels {
    /** The suffix of packages in the store (as the node's workers look for them). */
    static final String PACKAGE_SUFFIX = ".vpkg";
    /** The first bytes of every model package. */
    private static final byte[] MAGIC = {'V', 'R', 'T', 'Y', 'M', 'P', 'K', 'G'};
    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{64}");

    private LocalModels() {}

    /** {@code --store DIR}: the local content-addressed model store. */
    static final class StoreOption {
        @Option(names = "--store", paramLabel = "DIR",
                description = "Local model store (default: $VERITY_MODELS or ~/.verity/models).")
        Path store;

        /** The store folder (not created here). */
        Path dir() {
            if (store != null) {
                return store;
            }
            String env = System.getenv("VERITY_MODELS");
            if (env != null && !env.isBlank()) {
                return Path.of(env.strip());
            }
            return Path.of(System.getProperty("user.home"), ".verity", "models");
        }

        /** Opens the store, creating its folder: call only when something is to be written or read from it. */
        ModelStore open() {
            return new ModelStore(dir());
        }
    }

    /** A package read from the store or a file: its bytes' SHA-256 (the package id), where it came from. */
    record Found(ModelPackage pkg, Hash id, Path path, long size, boolean inStore) {}

    /** True when the file starts with the model package magic, or is named *.vpkg. */
    static boolean looksLikePackage(Path file) throws IOException {
        if (file.getFileName() != null && file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(PACKAGE_SUFFIX)) {
            return true;
        }
        try (InputStream in = Files.newInputStream(file)) {
            return Arrays.equals(in.readNBytes(MAGIC.length), MAGIC);
        }
    }

    /** Decodes package bytes; a malformed package is an INVALID_PACKAGE error naming {@code where}. */
    static ModelPackage decode(byte[] bytes, Object where) {
        try {
            return ModelPackage.decode(bytes);
        } catch (DecodingException | IllegalArgumentException e) {
            throw new CliException("INVALID_PACKAGE", where + " is not a valid model package: " + Errors.message(e));
        }
    }

    /** Reads a package file: it must be a canonical package (its SHA-256 is its id). */
    static Found readFile(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ModelPackage pkg = decode(bytes, file);
        Hash id = Sha256.digest(bytes);
        if (!id.equals(pkg.id())) {
            throw new CliException("INVALID_PACKAGE", file + " is not in the canonical package encoding (its SHA-256 "
                    + id.hex() + " differs from the package id " + pkg.id().hex() + ")");
        }
        return new Found(pkg, id, file, bytes.length, false);
    }

    /**
     * The package {@code ref} names: an existing file (which must be a package), or the id of a package in the
     * store. Empty when {@code ref} is an id with no package in the store; bad usage when it is neither an id nor a
     * file.
     */
    static Optional<Found> find(String ref, Path storeDir) throws IOException {
        Path file = null;
        try {
            file = Path.of(ref);
        } catch (InvalidPathException ignored) {
            // not a file name: maybe an id
        }
        if (file != null && Files.isRegularFile(file)) {
            if (!looksLikePackage(file)) {
                throw new CliException("INVALID_PACKAGE", file + " is not a model package (.vpkg); build one from an ONNX file"
                        + " with: verity model import " + file + " --calibration DATA");
            }
            return Optional.of(readFile(file));
        }
        if (!isId(ref)) {
            throw new IllegalArgumentException("'" + ref + "' is neither a model id (64 hex characters) nor an existing file");
        }
        String hex = ref.strip().toLowerCase(Locale.ROOT);
        if (!Files.isRegularFile(storeDir.resolve(hex + PACKAGE_SUFFIX))) {
            return Optional.empty();
        }
        Path path;
        try {
            path = new ModelStore(storeDir).path(hex, PACKAGE_SUFFIX);
        } catch (ModelStoreException e) {
            throw new CliException("STORE", e.getMessage());
        }
        byte[] bytes = Files.readAllBytes(path);
        return Optional.of(new Found(decode(bytes, path), Hash.fromHex(hex), path, bytes.length, true));
    }

    static boolean isId(String ref) {
        return HEX.matcher(ref.strip()).matches();
    }

    // ---- describing metadata ----

    /** "input FLOAT[1, 64]", "?" for an open dimension. */
    static String describe(IoInfo io) {
        return io.name() + " " + OnnxParser.dataTypeName(io.elementType()) + shape(io.shape());
    }

    static String describe(List<IoInfo> ios) {
        return ios.isEmpty() ? "none declared" : ios.stream().map(LocalModels::describe).collect(Collectors.joining("; "));
    }

    static String shape(int[] shape) {
        return Arrays.stream(shape).mapToObj(d -> d < 0 ? "?" : Integer.toString(d))
                .collect(Collectors.joining(", ", "[", "]"));
    }

    /** JSON form of inputs or outputs: name, type (ONNX name), shape (-1 open). */
    static List<Map<String, Object>> json(List<IoInfo> ios) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (IoInfo io : ios) {
            out.add(Output.object("name", io.name(), "type", OnnxParser.dataTypeName(io.elementType()), "shape", io.shape()));
        }
        return out;
    }

    /** Basis points as a percentage, or null when not measured. */
    static Double percent(int bps) {
        return bps == ModelMetadata.UNKNOWN ? null : bps / 100.0;
    }

    /** "96.94%", or "not measured". */
    static String percentText(int bps) {
        return bps == ModelMetadata.UNKNOWN ? "not measured" : String.format(Locale.ROOT, "%.2f%%", bps / 100.0);
    }

    /** The metadata of a package, for JSON (the human form is {@link #fields}). */
    static Map<String, Object> json(ModelPackage pkg, Hash id) {
        ModelMetadata m = pkg.metadata();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("id", id.hex());
        doc.put("name", m.name());
        doc.put("onnxHash", pkg.onnxHash().hex());
        doc.put("inputs", json(m.inputs()));
        doc.put("outputs", json(m.outputs()));
        doc.put("operators", m.operators());
        doc.put("computeUnits", m.computeUnits());
        doc.put("floatAccuracy", percent(m.floatAccuracyBps()));
        doc.put("integerAccuracy", percent(m.calibrationAccuracyBps()));
        doc.put("programOps", pkg.program().ops().size());
        return doc;
    }

    /** The metadata of a package, as aligned human fields. */
    static Map<String, Object> fields(ModelPackage pkg, Hash id) {
        ModelMetadata m = pkg.metadata();
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("package", id.hex());
        f.put("name", m.name());
        f.put("onnx hash", pkg.onnxHash().hex());
        f.put("inputs", describe(m.inputs()));
        f.put("outputs", describe(m.outputs()));
        f.put("operators", String.join(", ", m.operators()));
        f.put("compute units", String.format(Locale.ROOT, "%,d multiply-accumulates", m.computeUnits()));
        f.put("float accuracy", percentText(m.floatAccuracyBps()));
        f.put("integer accuracy", percentText(m.calibrationAccuracyBps()) + (m.calibrationAccuracyBps() == ModelMetadata.UNKNOWN
                ? "" : " (the quantized program, measured at import)"));
        f.put("program", pkg.program().ops().size() + " integer ops (" + String.join(", ", pkg.program().opKinds()) + ")");
        return f;
    }
}
