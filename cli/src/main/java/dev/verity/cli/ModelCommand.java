package dev.verity.cli;

import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.ledger.tx.Payload;
import dev.verity.node.model.InvalidModelException;
import dev.verity.node.model.OnnxModelInfo;
import dev.verity.node.model.OnnxModelInspector;
import dev.verity.node.model.TensorSpec;
import dev.verity.sdk.VerityClient;
import dev.verity.sdk.api.ModelView;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code verity model register|list|show}. */
@Command(name = "model", mixinStandardHelpOptions = true, description = "Register ONNX models and list them.",
        subcommands = {ModelCommand.Register.class, ModelCommand.ListModels.class, ModelCommand.Show.class})
final class ModelCommand extends GroupCommand {
    /** The ledger's limit on model names. */
    static final int MAX_NAME = 128;
    /** The transaction codec's limit on text fields. */
    static final int MAX_TEXT = 1024;

    @Command(name = "register", mixinStandardHelpOptions = true,
            description = {"Register an ONNX model by the SHA-256 of its file.", "",
                "The file is inspected first: one that is not a valid ONNX model is refused before anything is "
                        + "signed. Compute units (the price basis) come from the file's weights."})
    static final class Register extends BaseCommand {
        @Mixin
        ApiOptions api;

        @Mixin
        Transactions.WaitOptions waitOptions;

        @Parameters(paramLabel = "FILE", description = "The .onnx file.")
        Path file;

        @Option(names = "--name", paramLabel = "NAME", description = "Model name (default: the file name without .onnx).")
        String name;

        @Option(names = "--input-description", paramLabel = "TEXT",
                description = "What a job sends (default: the model's declared inputs).")
        String inputDescription;

        @Option(names = "--output-description", paramLabel = "TEXT",
                description = "What a job gets back (default: the model's declared outputs).")
        String outputDescription;

        @Override
        protected int execute() throws IOException {
            if (!Files.isRegularFile(file)) {
                throw new CliException("NO_SUCH_FILE", Files.exists(file) ? file + " is not a file" : "no such file: " + file);
            }
            OnnxModelInfo info;
            try {
                info = new OnnxModelInspector().inspect(file);
            } catch (InvalidModelException e) {
                String why = e.getMessage() == null ? "" : e.getMessage();
                String prefix = "not a valid ONNX model: ";
                if (why.startsWith(prefix)) {
                    why = why.substring(prefix.length());
                }
                throw new CliException("INVALID_MODEL", file + " is not a valid ONNX model: " + why);
            }
            Hash hash = sha256(file);
            String modelName = name != null ? name : defaultName(file);
            if (modelName.isBlank() || modelName.length() > MAX_NAME) {
                throw usage("the model name must be 1 to " + MAX_NAME + " characters, got '" + modelName + "'");
            }
            String in = text(inputDescription, describe(info.inputs()), "--input-description");
            String outDesc = text(outputDescription, describe(info.outputs()), "--output-description");
            PrivateKey key = api.loadKey();
            try (VerityClient client = api.client()) {
                return Transactions.send(out(), client, key,
                        new Payload.RegisterModel(hash, modelName, in, outDesc, info.computeUnits()), waitOptions,
                        "register model " + modelName + " (" + hash.hex() + "), " + info.computeUnits() + " compute units",
                        Output.object("model", hash.hex(), "name", modelName, "inputDescription", in, "outputDescription", outDesc,
                                "computeUnits", info.computeUnits()));
            }
        }

        /** A description: the one given (at most {@link #MAX_TEXT} bytes of UTF-8), else the default, shortened to fit. */
        private String text(String given, String fallback, String option) {
            if (given != null) {
                if (utf8Length(given) > MAX_TEXT) {
                    throw usage(option + " is at most " + MAX_TEXT + " bytes of UTF-8");
                }
                return given;
            }
            if (utf8Length(fallback) <= MAX_TEXT) {
                return fallback;
            }
            String t = fallback.substring(0, Math.min(fallback.length(), MAX_TEXT));
            while (utf8Length(t) + 3 > MAX_TEXT) {
                t = t.substring(0, t.length() - 1);
            }
            return t + "...";
        }

        private static int utf8Length(String s) {
            return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        }

        static String defaultName(Path file) {
            String n = file.getFileName().toString();
            return n.toLowerCase(Locale.ROOT).endsWith(".onnx") ? n.substring(0, n.length() - 5) : n;
        }

        static String describe(List<TensorSpec> specs) {
            if (specs.isEmpty()) {
                return "none declared";
            }
            return specs.stream()
                    .map(s -> s.name() + " " + s.elementType() + (s.shape().isEmpty() ? "" : "[" + String.join(", ", s.shape()) + "]"))
                    .collect(Collectors.joining("; "));
        }

        static Hash sha256(Path file) throws IOException {
            MessageDigest md;
            try {
                md = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            byte[] buf = new byte[1 << 16];
            try (InputStream in = Files.newInputStream(file)) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    md.update(buf, 0, n);
                }
            }
            return Hash.fromHex(HexFormat.of().formatHex(md.digest()));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the registered models.")
    static final class ListModels extends BaseCommand {
        @Mixin
        ApiOptions api;

        @Override
        protected int execute() {
            try (VerityClient client = api.client()) {
                List<ModelView> models = client.models();
                if (out().json()) {
                    out().printJson(models);
                    return 0;
                }
                if (models.isEmpty()) {
                    out().line("no models registered");
                    return 0;
                }
                List<List<String>> rows = new ArrayList<>();
                for (ModelView m : models) {
                    rows.add(List.of(m.id(), m.name(), Long.toString(m.computeUnits()), Long.toString(m.registeredAt())));
                }
                out().table(List.of("MODEL", "NAME", ">COMPUTE UNITS", ">REGISTERED AT"), rows);
            }
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one model.")
    static final class Show extends BaseCommand {
        @Mixin
        ApiOptions api;

        @Parameters(paramLabel = "ID", converter = Converters.Sha.class, description = "The model id (SHA-256 of its file).")
        Hash id;

        @Override
        protected int execute() {
            try (VerityClient client = api.client()) {
                ModelView m = client.model(id);
                if (out().json()) {
                    out().printJson(m);
                } else {
                    out().fields(Output.object("model", m.id(), "name", m.name(), "owner", m.owner(), "input", m.inputDescription(),
                            "output", m.outputDescription(), "compute units", m.computeUnits(), "registered at", "block " + m.registeredAt()));
                }
            }
            return 0;
        }
    }
}
