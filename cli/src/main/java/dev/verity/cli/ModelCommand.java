package dev.verity.cli;

import dev.verity.compute.model.InvalidModelException;
import dev.verity.compute.model.ModelPullException;
import dev.verity.compute.model.ModelPuller;
import dev.verity.compute.model.OnnxModelInfo;
import dev.verity.compute.model.OnnxModelInspector;
import dev.verity.compute.model.TensorSpec;
import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.devnet.ShippedSchemas;
import dev.verity.inference.pkg.ModelMetadata;
import dev.verity.inference.pkg.ModelPackage;
import dev.verity.protocol.schema.InputSchema;
import dev.verity.protocol.tx.Payload;
import dev.verity.sdk.InputSchemas;
import dev.verity.sdk.VerityApiException;
import dev.verity.sdk.VerityClient;
import dev.verity.sdk.api.ModelView;
import dev.verity.service.model.ModelStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code verity model register|list|show|pull|import|run|conformance|train}. */
@Command(name = "model", mixinStandardHelpOptions = true,
        description = {"Register models on chain and list them; import ONNX models into packages, run and test them locally.", "",
            "Local packages live in a content-addressed store (--store DIR, default $VERITY_MODELS, else ~/.verity/models) "
                    + "as <id>.vpkg, the id being the SHA-256 of the package."},
        subcommands = {ModelCommand.Register.class, ModelCommand.ListModels.class, ModelCommand.Show.class, ModelCommand.Pull.class,
            ModelHubCommands.Import.class, ModelHubCommands.Run.class, ModelHubCommands.Conformance.class,
            ModelHubCommands.Train.class})
final class ModelCommand extends GroupCommand {
    /** The ledger's limit on model names. */
    static final int MAX_NAME = 128;
    /** The transaction codec's limit on text fields. */
    static final int MAX_TEXT = 1024;

    @Command(name = "register", mixinStandardHelpOptions = true,
            description = {"Register an ONNX model or a model package (.vpkg) by the SHA-256 of its file.", "",
                "The file is inspected first: one that is not a valid ONNX model or package is refused before anything is "
                        + "signed. For an ONNX file, compute units (the price basis) come from the file's weights. For a "
                        + "package (built by 'verity model import'), the id is the package id, and the name, descriptions "
                        + "and compute units come from its metadata; the package is also copied into the local store."})
    static final class Register extends BaseCommand {
        @Mixin
        ApiOptions api;

        @Mixin
        Transactions.WaitOptions waitOptions;

        @Parameters(paramLabel = "FILE", description = "The .onnx file or .vpkg package.")
        Path file;

        @Mixin
        LocalModels.StoreOption store;

        @Option(names = "--name", paramLabel = "NAME",
                description = "Model name (default: the package's name, or the file name without .onnx).")
        String name;

        @Option(names = "--input-description", paramLabel = "TEXT",
                description = "What a job sends (default: the model's declared inputs).")
        String inputDescription;

        @Option(names = "--output-description", paramLabel = "TEXT",
                description = "What a job gets back (default: the model's declared outputs).")
        String outputDescription;

        @Option(names = "--input-schema", paramLabel = "SPEC",
                description = "What the chain lets a job send, checked at every submission: " + InputSchemaSpec.FORMS
                        + ". Default: for a package, its input tensor with any finite values; for an ONNX file, UTF-8 text "
                        + "of 1 byte up to the chain's input limit.")
        String inputSchema;

        /** The schema given with --input-schema, or null. */
        private InputSchema givenSchema() {
            if (inputSchema == null) {
                return null;
            }
            try {
                return InputSchemaSpec.parse(inputSchema);
            } catch (IllegalArgumentException e) {
                throw usage("--input-schema: " + e.getMessage());
            }
        }

        @Override
        protected int execute() throws IOException {
            if (!Files.isRegularFile(file)) {
                throw new CliException("NO_SUCH_FILE", Files.exists(file) ? file + " is not a file" : "no such file: " + file);
            }
            if (LocalModels.looksLikePackage(file)) {
                return registerPackage();
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
            InputSchema given = givenSchema();
            PrivateKey key = api.loadKey();
            try (VerityClient client = api.client()) {
                InputSchema schema = given != null ? given
                        : new InputSchema.Utf8Text(1, client.params().path("maxInputBytes").asInt(64 * 1024));
                return Transactions.send(out(), client, key,
                        new Payload.RegisterModel(hash, modelName, in, outDesc, info.computeUnits(), schema), waitOptions,
                        "register model " + modelName + " (" + hash.hex() + "), " + info.computeUnits() + " compute units, inputs: "
                                + InputSchemas.view(schema).description(),
                        Output.object("model", hash.hex(), "name", modelName, "inputDescription", in, "outputDescription", outDesc,
                                "computeUnits", info.computeUnits(), "inputSchema", InputSchemas.view(schema)));
            }
        }

        private int registerPackage() throws IOException {
            LocalModels.Found found = LocalModels.readFile(file);
            ModelPackage pkg = found.pkg();
            ModelMetadata meta = pkg.metadata();
            Hash id = found.id();
            String modelName = name != null ? name : meta.name();
            if (modelName.isBlank() || modelName.length() > MAX_NAME) {
                throw usage("the model name must be 1 to " + MAX_NAME + " characters, got '" + modelName
                        + "'" + (name == null ? " (from the package; give --name)" : ""));
            }
            String in = text(inputDescription, LocalModels.describe(meta.inputs()) + " (float32 little-endian, batch 1)",
                    "--input-description");
            String outDesc = text(outputDescription, LocalModels.describe(meta.outputs()) + " (float32 little-endian)",
                    "--output-description");
            long units = Math.max(1, meta.computeUnits());
            InputSchema given = givenSchema();
            InputSchema schema;
            try {
                schema = given != null ? given : ShippedSchemas.forPackage(pkg, -Float.MAX_VALUE, Float.MAX_VALUE);
            } catch (IllegalArgumentException e) {
                throw usage("the package's input cannot be described on chain (" + e.getMessage() + "); give --input-schema");
            }
            PrivateKey key = api.loadKey();
            ModelStore modelStore = store.open();
            String hex = modelStore.put(Files.readAllBytes(file), LocalModels.PACKAGE_SUFFIX);
            if (!hex.equals(id.hex())) {
                throw new CliException("STORE", file + " changed while it was being registered");
            }
            Path stored = modelStore.dir().resolve(hex + LocalModels.PACKAGE_SUFFIX);
            out().note("copied the package to " + stored);
            try (VerityClient client = api.client()) {
                return Transactions.send(out(), client, key,
                        new Payload.RegisterModel(id, modelName, in, outDesc, units, schema), waitOptions,
                        "register model package " + modelName + " (" + id.hex() + "), " + units + " compute units, inputs: "
                                + InputSchemas.view(schema).description(),
                        Output.object("model", id.hex(), "name", modelName, "inputDescription", in, "outputDescription", outDesc,
                                "computeUnits", units, "inputSchema", InputSchemas.view(schema), "onnxHash", pkg.onnxHash().hex(),
                                "package", stored.toString()));
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

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = {"Show one model: a package in the local store or a .vpkg file, or a model on chain.", "",
                "For a package, its metadata (inputs, outputs, operators, compute units, accuracy, program), and its "
                        + "on-chain record when the node at --api is reachable. For any other id, the on-chain record."})
    static final class Show extends BaseCommand {
        @Mixin
        ApiOptions api;

        @Mixin
        LocalModels.StoreOption store;

        @Parameters(paramLabel = "ID|FILE",
                description = "The model id (SHA-256 of its file or package), or a .vpkg package file.")
        String ref;

        @Override
        protected int execute() throws IOException {
            Optional<LocalModels.Found> local = LocalModels.find(ref, store.dir());
            if (local.isPresent()) {
                return showPackage(local.get());
            }
            Hash id = Hash.fromHex(ref.strip().toLowerCase(Locale.ROOT));
            try (VerityClient client = api.client()) {
                ModelView m = client.model(id);
                if (out().json()) {
                    out().printJson(m);
                } else {
                    out().fields(chainFields(m));
                }
            }
            return 0;
        }

        private int showPackage(LocalModels.Found found) {
            ModelView onChain = null;
            String chainStatus;
            try (VerityClient client = new VerityClient(URI.create(api.api == null || api.api.isBlank() ? ApiOptions.DEFAULT_API
                    : api.api.strip()), Duration.ofSeconds(2), Duration.ofSeconds(5))) {
                onChain = client.model(found.id());
                chainStatus = "registered";
            } catch (VerityApiException e) {
                chainStatus = "NOT_FOUND".equals(e.code()) ? "not registered"
                        : "unknown (" + Errors.message(e) + ")";
            } catch (RuntimeException e) {
                chainStatus = "unknown (" + Errors.message(e) + ")";
            }
            if (out().json()) {
                Map<String, Object> doc = LocalModels.json(found.pkg(), found.id());
                doc.put("path", found.path().toString());
                doc.put("bytes", found.size());
                doc.put("inStore", found.inStore());
                doc.put("onChainStatus", chainStatus.startsWith("unknown") ? "unknown" : chainStatus);
                doc.put("onChain", onChain);
                out().printJson(doc);
                return 0;
            }
            Map<String, Object> f = LocalModels.fields(found.pkg(), found.id());
            f.put(found.inStore() ? "stored at" : "file", found.path() + String.format(Locale.ROOT, " (%,d bytes)", found.size()));
            f.put("on chain", chainStatus);
            out().fields(f);
            if (onChain != null) {
                out().line();
                out().line("on-chain record:");
                Map<String, Object> c = new LinkedHashMap<>();
                chainFields(onChain).forEach((k, v) -> c.put("  " + k, v));
                out().fields(c);
            }
            return 0;
        }

        private static Map<String, Object> chainFields(ModelView m) {
            return Output.object("model", m.id(), "name", m.name(), "owner", m.owner(), "input", m.inputDescription(),
                    "output", m.outputDescription(), "input schema", m.inputSchema() == null ? "none" : m.inputSchema().description()
                            + " (checked by the chain at submission)", "compute units", m.computeUnits(), "registered at", "block " + m.registeredAt(),
                    "program", m.program() == null ? "none (served NONE and TEE only)" : "root " + m.program().root() + ", "
                            + m.program().leafCount() + " leaves, " + m.program().stepCount() + " steps (registered at block "
                            + m.program().registeredAt() + "; served OPTIMISTIC and SAMPLED too)");
        }
    }

    @Command(name = "pull", mixinStandardHelpOptions = true,
            description = {"Pull a model's file (ONNX model or package) by its id from validators into the local store.", "",
                "The file comes from GET /v1/models/ID/file of the first validator that has it (repeat --api to fail over "
                        + "in order). An interrupted download is resumed from where it stopped; the SHA-256 of the whole "
                        + "file must equal the id, or the file is refused and deleted. A copy already in the store is "
                        + "checked first: intact, nothing is downloaded; damaged, it is replaced. Progress goes to stderr."})
    static final class Pull extends BaseCommand {
        @Parameters(paramLabel = "ID", description = "The model id (the SHA-256 of its file or package).")
        String id;

        @Option(names = "--api", paramLabel = "URL", split = ",",
                description = "A validator's API to pull from; repeat it (or separate URLs with commas) to try several in "
                        + "order (default: $VERITY_API, else " + ApiOptions.DEFAULT_API + ").")
        List<String> apis;

        @Mixin
        LocalModels.StoreOption store;

        @Override
        protected int execute() {
            if (!LocalModels.isId(id)) {
                throw usage("'" + id + "' is not a model id (64 hex characters: the SHA-256 of the model file)");
            }
            Hash model = Hash.fromHex(id.strip().toLowerCase(Locale.ROOT));
            List<String> urls = new ArrayList<>();
            if (apis != null) {
                apis.stream().map(String::strip).filter(u -> !u.isEmpty()).forEach(urls::add);
            }
            if (urls.isEmpty()) {
                String env = System.getenv("VERITY_API");
                urls.add(env != null && !env.isBlank() ? env.strip() : ApiOptions.DEFAULT_API);
            }
            ModelPuller puller = new ModelPuller(store.open(), urls, VerityClient.DEFAULT_CONNECT_TIMEOUT,
                    VerityClient.DEFAULT_REQUEST_TIMEOUT, (m, source, done, total) -> out().note(String.format(Locale.ROOT,
                            "pulled %.1f%s MB from %s", done / 1e6, total >= 0 ? String.format(Locale.ROOT, " of %.1f", total / 1e6)
                                    : "", source)));
            ModelPuller.Result r;
            try {
                r = puller.ensure(model);
            } catch (ModelPullException e) {
                throw new CliException(e.hashMismatch() ? "HASH_MISMATCH" : "PULL_FAILED", e.getMessage(),
                        Output.object("model", model.hex()), e);
            }
            Map<String, Object> doc = Output.object("model", model.hex(), "path", r.path().toString(), "bytes", r.bytes(),
                    "downloaded", r.downloaded(), "resumedFrom", r.resumedFrom(),
                    "seconds", Math.round(r.seconds() * 1000) / 1000.0,
                    "megabytesPerSecond", Math.round(r.megabytesPerSecond() * 10) / 10.0,
                    "source", r.source(), "alreadyPresent", r.alreadyPresent(), "repaired", r.repaired());
            if (out().json()) {
                out().printJson(doc);
                return 0;
            }
            if (r.alreadyPresent()) {
                out().line("model " + model.hex() + " is already in the store, intact: " + r.path());
                return 0;
            }
            out().line(String.format(Locale.ROOT, "pulled model %s: %,d bytes in %.2f s (%.1f MB/s) from %s%s%s", model.hex(),
                    r.bytes(), r.seconds(), r.megabytesPerSecond(), r.source(),
                    r.resumedFrom() > 0 ? String.format(Locale.ROOT, ", resumed after %,d bytes", r.resumedFrom()) : "",
                    r.repaired() ? ", replacing a damaged copy" : ""));
            out().line("stored at " + r.path());
            return 0;
        }
    }
}
