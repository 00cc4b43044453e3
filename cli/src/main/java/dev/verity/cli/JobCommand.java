package dev.verity.cli;

import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.core.PublicKey;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.schema.InputSchema;
import dev.verity.protocol.tx.Payload;
import dev.verity.sdk.Amounts;
import dev.verity.sdk.EventQuery;
import dev.verity.sdk.InputSchemas;
import dev.verity.sdk.JobQuery;
import dev.verity.sdk.VerityClient;
import dev.verity.sdk.Wallet;
import dev.verity.sdk.api.JobView;
import dev.verity.sdk.api.ModelView;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code verity job submit|show|list|receipt}. */
@Command(name = "job", mixinStandardHelpOptions = true, description = "Submit inference jobs and follow them.",
        subcommands = {JobCommand.Submit.class, JobCommand.Show.class, JobCommand.ListJobs.class, JobReceiptCommand.class})
final class JobCommand extends GroupCommand {
    /** The dimension of a sentence embedding (all-MiniLM-L6-v2), whose first values job output shows. */
    static final int EMBEDDING_DIMENSION = 384;
    static final int EMBEDDING_PREFIX = 5;
    /** Every job status, as the API names them. */
    static final List<String> STATUSES = List.of("QUEUED", "ASSIGNED", "VERIFYING", "DISPUTED", "SETTLED", "EXPIRED", "CANCELLED");
    /** Statuses a job never leaves: --wait stops at them. */
    static final List<String> FINAL_STATUSES = List.of("SETTLED", "FAILED", "EXPIRED", "CANCELLED");

    @Command(name = "submit", mixinStandardHelpOptions = true,
            description = {"Submit a job: run MODEL on the bytes of FILE, verified by MODE.", "",
                "The input is checked against the model's input schema before anything is sent, and no more of FILE is read "
                        + "than the schema allows. The max fee is escrowed; what the job's price does not use is refunded. With "
                        + "--wait, waits until the job is SETTLED, FAILED, EXPIRED or CANCELLED (exit 1 unless SETTLED)."})
    static final class Submit extends BaseCommand {
        @Mixin
        ApiOptions api;

        @Option(names = "--model", required = true, paramLabel = "MODEL",
                description = "The model: its id (64 hex characters) or its registered name.")
        String model;

        @Option(names = "--mode", required = true, paramLabel = "MODE", converter = Converters.Mode.class,
                description = "Verification mode: NONE, TEE, OPTIMISTIC or SAMPLED (the provable modes need a model with a "
                        + "registered integer program).")
        VerificationMode mode;

        @Option(names = "--input", required = true, paramLabel = "FILE", description = "File whose bytes are the job's input.")
        Path input;

        @Option(names = "--fallback", split = ",", paramLabel = "MODE", converter = Converters.Mode.class,
                description = "Modes to fall back to, in order, when no node serves MODE (e.g. --fallback NONE).")
        List<VerificationMode> fallback = new ArrayList<>();

        @Option(names = "--max-fee", paramLabel = "TOKENS", converter = Converters.Tokens.class, defaultValue = "1",
                description = "The most the job may cost, in VRT (default: ${DEFAULT-VALUE}).")
        long maxFee;

        @Option(names = "--tip", paramLabel = "BASE_UNITS", defaultValue = "0",
                description = "Tip on top of the base price, base units per 10^15 compute units; queued jobs are assigned "
                        + "highest tip first, and the max fee cuts the tip before anything else (default: ${DEFAULT-VALUE}).")
        long tip;

        @Option(names = "--deadline", paramLabel = "BLOCKS", defaultValue = "50",
                description = "Blocks the assigned node has to deliver the result (default: ${DEFAULT-VALUE}).")
        long deadline;

        @Option(names = "--wait", description = "Wait until the job is SETTLED, EXPIRED or CANCELLED.")
        boolean waitForJob;

        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120",
                description = "How long --wait waits (default: ${DEFAULT-VALUE} s).")
        long timeoutSeconds;

        @Override
        protected int execute() throws Exception {
            if (deadline < 1) {
                throw usage("--deadline must be at least 1 block, got " + deadline);
            }
            if (tip < 0) {
                throw usage("--tip must not be negative, got " + tip);
            }
            if (timeoutSeconds < 1) {
                throw usage("--timeout must be a positive number of seconds, got " + timeoutSeconds);
            }
            if (!Files.isRegularFile(input)) {
                throw new CliException("NO_SUCH_FILE", Files.exists(input) ? input + " is not a file" : "no such file: " + input);
            }
            PrivateKey key = api.loadKey();
            try (VerityClient client = api.client()) {
                ModelView modelView = client.model(resolveModel(client, model));
                Hash modelId = Hash.fromHex(modelView.id());
                byte[] bytes = checkedInput(input, modelView, client.params().path("maxInputBytes").asLong(Long.MAX_VALUE));
                Wallet wallet = new Wallet(client, key);
                Wallet.Sent sent = wallet.send(new Payload.SubmitJob(modelId, bytes, mode, List.copyOf(fallback), maxFee, deadline, tip));
                Hash job = sent.hash();
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("id", job.hex());
                data.put("transaction", job.hex());
                data.put("model", modelId.hex());
                data.put("mode", mode.name());
                data.put("maxFee", maxFee);
                data.put("tip", tip);
                data.put("inputSize", bytes.length);
                data.put("status", "PENDING");
                out().line("submitted job " + job.hex());
                if (!waitForJob) {
                    if (out().json()) {
                        out().printJson(data);
                    } else {
                        out().fields(Output.object("job", job.hex(), "model", modelId.hex(), "mode", mode.name(), "max fee",
                                Output.tokens(maxFee), "status", "PENDING (add --wait to wait for the result; or: verity job show "
                                        + job.hex() + ")"));
                    }
                    return 0;
                }
                long deadlineNanos = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
                Transactions.await(out(), client, job, Duration.ofSeconds(timeoutSeconds), data);
                out().note("job " + Output.shortId(job.hex()) + " is in the chain; waiting for its result...");
                JobView v = client.job(job);
                while (!isFinal(v) && System.nanoTime() < deadlineNanos) {
                    Thread.sleep(200);
                    v = client.job(job);
                }
                data.remove("height");
                describe(v, data);
                if (!out().json()) {
                    out().fields(humanFields(v));
                }
                if ("SETTLED".equals(v.status())) {
                    if (out().json()) {
                        out().printJson(data);
                    }
                    return 0;
                }
                String why = "FAILED".equals(v.status()) && v.failure() != null
                        ? "job " + job.hex() + " FAILED: its node reported " + v.failure().reason() + " (" + v.failure().message()
                                + "); the node was paid its fee and the rest of the escrow refunded"
                        : isFinal(v) ? "job " + job.hex() + " " + v.status() + " without a result; its escrow was refunded"
                        : "job " + job.hex() + " is still " + v.status() + " after " + timeoutSeconds + " s (see: verity job show "
                        + job.hex() + ")";
                throw new CliException(isFinal(v) ? "JOB_" + v.status() : "TIMEOUT", why, data);
            }
        }

        /**
         * The input file's bytes, read only up to the model's (and the chain's) input limit, checked against the model's
         * schema with the ledger's own check, so a bad input is refused here with the same words the chain would use.
         */
        static byte[] checkedInput(Path file, ModelView model, long chainLimit) throws java.io.IOException {
            InputSchema schema = InputSchemas.fromView(model.inputSchema());
            long limit = Math.min(schema.byteLimit(), chainLimit);
            long size = Files.size(file);
            if (size > limit) {
                throw new CliException("INVALID_INPUT", file + " is " + size + " bytes; model " + model.name() + " takes at most "
                        + limit + " (" + model.inputSchema().description() + ")");
            }
            byte[] bytes;
            try (java.io.InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes((int) limit + 1);
            }
            if (bytes.length > limit) {
                throw new CliException("INVALID_INPUT", file + " grew past the model's limit of " + limit + " bytes while it was read");
            }
            String problem = schema.problem(bytes);
            if (problem != null) {
                throw new CliException("INVALID_INPUT", file + " does not match the input schema of model " + model.name() + " ("
                        + model.inputSchema().description() + "): " + problem);
            }
            return bytes;
        }

        private static boolean isFinal(JobView v) {
            return FINAL_STATUSES.contains(v.status());
        }

        /** A model id, or the id of the model registered under that name. */
        static Hash resolveModel(VerityClient client, String model) {
            String m = model.strip();
            if (m.length() == 64 && m.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                return Hash.fromHex(m.toLowerCase(Locale.ROOT));
            }
            List<ModelView> named = client.models().stream().filter(v -> v.name().equals(m)).toList();
            if (named.isEmpty()) {
                throw new IllegalArgumentException("no model is registered under the name '" + m
                        + "'; give its id (64 hex characters) or a registered name (see: verity model list)");
            }
            if (named.size() > 1) {
                throw new IllegalArgumentException("several models are registered as '" + m + "'; give the id instead");
            }
            return Hash.fromHex(named.get(0).id());
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show a job: status, node, fee, output, and a provable result's verification and dispute. With --json, "
                    + "the job as the API shows it (input and output base64).")
    static final class Show extends BaseCommand {
        @Mixin
        ApiOptions api;

        @Parameters(paramLabel = "ID", converter = Converters.Sha.class, description = "The job id.")
        Hash id;

        @Override
        protected int execute() {
            try (VerityClient client = api.client()) {
                JobView v = client.job(id);
                if (out().json()) {
                    out().printJson(v);
                } else {
                    Map<String, Object> f = humanFields(v);
                    if (("OPTIMISTIC".equals(v.mode()) || "SAMPLED".equals(v.mode())) && v.verification() == null) {
                        f.putAll(Verifications.history(client.events(EventQuery.forJob(id).withLimit(1000))));
                    }
                    out().fields(f);
                }
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List jobs, newest first.")
    static final class ListJobs extends BaseCommand {
        @Mixin
        ApiOptions api;

        @Option(names = "--status", paramLabel = "STATUS",
                description = "Only jobs in this status: QUEUED, ASSIGNED, VERIFYING, DISPUTED, SETTLED, EXPIRED or CANCELLED.")
        String status;

        @Option(names = "--node", paramLabel = "ID", converter = Converters.Key.class, description = "Only jobs of this node.")
        PublicKey node;

        @Option(names = "--client", paramLabel = "ID", converter = Converters.Key.class, description = "Only jobs of this client.")
        PublicKey clientId;

        @Option(names = "--limit", paramLabel = "N", description = "At most N jobs (1 to 1000; the node's default is 100).")
        Integer limit;

        @Override
        protected int execute() {
            String s = status == null ? null : status.strip().toUpperCase(Locale.ROOT);
            if (s != null && !STATUSES.contains(s)) {
                throw usage("--status must be one of " + String.join(", ", STATUSES) + ", got '" + status + "'");
            }
            if (limit != null && (limit < 1 || limit > 1000)) {
                throw usage("--limit must be 1 to 1000, got " + limit);
            }
            JobQuery q = new JobQuery(s, node, clientId, null, limit);
            try (VerityClient client = api.client()) {
                List<JobView> jobs = client.jobs(q);
                if (out().json()) {
                    out().printJson(jobs);
                    return 0;
                }
                if (jobs.isEmpty()) {
                    out().line("no jobs");
                    return 0;
                }
                List<List<String>> rows = new ArrayList<>();
                for (JobView j : jobs) {
                    rows.add(List.of(j.id(), j.status(), j.mode(), Output.shortId(j.assignedNode()), Amounts.formatTokens(j.fee()),
                            Long.toString(j.submittedAt())));
                }
                out().table(List.of("JOB", "STATUS", "MODE", "NODE", ">FEE", ">SUBMITTED AT"), rows);
            }
            return 0;
        }
    }

    // ------------------------------------------------------------------ shared

    static byte[] output(JobView v) {
        if (v.output() == null) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(v.output());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The first values of a 384-float little-endian embedding, or null when the output is not one. */
    static List<Float> embeddingPrefix(byte[] output) {
        if (output == null || output.length != EMBEDDING_DIMENSION * Float.BYTES) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(output).order(ByteOrder.LITTLE_ENDIAN);
        List<Float> values = new ArrayList<>();
        for (int i = 0; i < EMBEDDING_PREFIX; i++) {
            values.add(b.getFloat(i * Float.BYTES));
        }
        return values;
    }

    /** Adds the job's outcome to a JSON document. */
    static void describe(JobView v, Map<String, Object> data) {
        byte[] out = output(v);
        data.put("status", v.status());
        data.put("mode", v.mode());
        data.put("node", v.assignedNode());
        data.put("fee", v.fee());
        data.put("basePrice", v.basePrice());
        data.put("tip", v.tip());
        data.put("maxFee", v.maxFee());
        data.put("outputHash", v.outputHash());
        data.put("outputSize", out == null ? null : out.length);
        List<Float> prefix = embeddingPrefix(out);
        if (prefix != null) {
            data.put("embeddingPrefix", prefix);
        }
        data.put("settledAt", v.settledAt());
        if (v.failure() != null) {
            data.put("failure", v.failure());
        }
    }

    static Map<String, Object> humanFields(JobView v) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("job", v.id());
        f.put("status", v.status());
        f.put("mode", v.mode() + (v.fallbackModes() == null || v.fallbackModes().isEmpty() ? ""
                : " (fallback " + String.join(", ", v.fallbackModes()) + ")"));
        f.put("model", v.model());
        f.put("client", v.client());
        f.put("node", v.assignedNode());
        f.put("fee", Output.tokens(v.fee()) + " (max " + Output.tokens(v.maxFee()) + "; base price " + v.basePrice()
                + (v.tip() > 0 ? " + tip " + v.tip() : "") + " per 10^15 compute units)");
        f.put("submitted at", "block " + v.submittedAt());
        if (v.assignedAt() > 0) {
            f.put("assigned at", "block " + v.assignedAt() + ", result due by block " + v.deadlineHeight());
        }
        if (v.reassignments() > 0) {
            f.put("reassignments", v.reassignments());
        }
        if (v.settledAt() > 0) {
            f.put("FAILED".equals(v.status()) ? "failed at" : "settled at", "block " + v.settledAt());
        }
        if (v.failure() != null) {
            f.put("failure", v.failure().reason() + ": " + v.failure().message() + ("INPUT_REJECTED".equals(v.failure().reason())
                    ? " (the input's fault: the node was paid its fee, the rest of the escrow refunded)" : ""));
        }
        f.put("input hash", v.inputHash());
        byte[] out = output(v);
        if (v.outputHash() != null) {
            f.put("output", (out == null ? "?" : out.length) + " bytes, SHA-256 " + v.outputHash());
        } else {
            f.put("output", "none yet");
        }
        if (v.verification() != null) {
            f.put("verification", Verifications.claim(v.verification()));
        }
        if (v.dispute() != null) {
            f.put("dispute", Verifications.dispute(v.dispute()));
            f.put("dispute state", Verifications.disputeState(v.dispute()));
        }
        List<Float> prefix = embeddingPrefix(out);
        if (prefix != null) {
            StringBuilder sb = new StringBuilder("[");
            for (Float x : prefix) {
                sb.append(sb.length() > 1 ? ", " : "").append(String.format(Locale.ROOT, "%.6f", x));
            }
            f.put("embedding", sb.append(", ...] (" + EMBEDDING_DIMENSION + " floats)").toString());
        }
        return f;
    }
}
