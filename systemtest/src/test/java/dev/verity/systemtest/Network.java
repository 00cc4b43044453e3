package dev.verity.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verity.compute.model.BundledModels;
import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.devnet.DevnetGenesis;
import dev.verity.devnet.DigitsPackage;
import dev.verity.inference.pkg.ModelPackage;
import dev.verity.inference.trace.ProgramCommitment;
import dev.verity.protocol.Params;
import dev.verity.sdk.KeyFiles;
import dev.verity.sdk.VerityClient;
import dev.verity.sdk.Wallet;
import dev.verity.sdk.api.JobView;
import dev.verity.sdk.api.TransactionReceipt;
import dev.verity.service.model.ModelStore;
import dev.verity.testkit.TestGenesis;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A Verity network in a folder, every program of it a process of the release: one validator ({@code bin/verity
 * validator}, its own key, data directory and model store served with {@code --models}) and compute nodes
 * ({@code bin/verity node run}, each with its own key, model store and state directory). What an operator makes with
 * other tools is made here in the test JVM: the keys and the genesis file (funding every account), and the model files
 * put in the validator's store. The rest goes through the release's commands: models and nodes are registered with
 * {@code bin/verity model register} and {@code bin/verity node register}; the digits model's integer program, for which
 * the command line has no command, with the SDK.
 *
 * <p>The chain id is the devnet's ({@link DevnetGenesis#CHAIN_ID}), the only chain the development enclave signs for,
 * so that a TEE node can run one ({@link DevelopmentEnclave}).
 */
final class Network {
    static final String CHAIN_ID = DevnetGenesis.CHAIN_ID;
    /** Short blocks keep the tests short. */
    static final long BLOCK_INTERVAL_MILLIS = 100;
    /** What genesis gives every account. */
    static final long FUNDS = 100_000 * TestGenesis.VRT;
    /** How long a process may take to say it is ready (a JVM start, a model load, on a busy two-core machine). */
    static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    /** A key, its key file and its account. */
    record Account(String name, PrivateKey key, Path keyFile) {
        String id() {
            return key.publicKey().hex();
        }
    }

    /** A compute node's key and folders: its model store and its state directory (the answer journal). */
    record ComputeNode(Account account, Path store, Path stateDir) {
        String id() {
            return account.id();
        }

        String name() {
            return account.name();
        }

        /** The folder of answers computed and not yet accepted by the chain ({@code node run --state-dir}). */
        Path journal() {
            return stateDir.resolve("answers");
        }
    }

    private final Processes processes;
    private final Path dir;
    private final Account validatorAccount;
    private final Account client;
    private final Map<String, Account> accounts = new LinkedHashMap<>();
    private final Path genesisFile;
    private VerityProcess validator;
    private String api;
    private VerityClient sdk;

    private Network(Processes processes, Path dir, Account validatorAccount, Account client, Path genesisFile) {
        this.processes = processes;
        this.dir = dir;
        this.validatorAccount = validatorAccount;
        this.client = client;
        this.genesisFile = genesisFile;
    }

    /**
     * Makes the keys and the genesis in {@code dir}: a validator, a funded client, and a funded account for each name in
     * {@code accountNames} (compute nodes, more clients), on a chain with {@code params}. Starts nothing.
     */
    static Network create(Processes processes, Path dir, Params params, String... accountNames) {
        return create(processes, dir, genesis -> genesis.params(params), accountNames);
    }

    /**
     * As {@link #create(Processes, Path, Params, String...)}, with {@code genesis} adding to the genesis what a network
     * needs beyond accounts: parameters, and for enclaves the TEE collateral and approved measurements.
     */
    static Network create(Processes processes, Path dir, Consumer<TestGenesis> genesisContent, String... accountNames) {
        try {
            Files.createDirectories(dir.resolve("keys"));
            Files.createDirectories(dir.resolve("validator").resolve("models"));
            Account validator = account(dir, "validator");
            Account client = account(dir, "client");
            TestGenesis genesis = TestGenesis.chain(CHAIN_ID).at(System.currentTimeMillis())
                    .validator(validator.key()).fund(validator.key(), FUNDS).fund(client.key(), FUNDS);
            genesisContent.accept(genesis);
            List<Account> more = new ArrayList<>();
            for (String name : accountNames) {
                Account a = account(dir, name);
                more.add(a);
                genesis.fund(a.key(), FUNDS);
            }
            Path genesisFile = dir.resolve("genesis.bin");
            Files.write(genesisFile, genesis.build().encode());
            Network net = new Network(processes, dir, validator, client, genesisFile);
            more.forEach(a -> net.accounts.put(a.name(), a));
            return net;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The default parameters with the devnet's short challenge window and dispute moves, and every SAMPLED result audited. */
    static Params params() {
        return DevnetGenesis.params();
    }

    private static Account account(Path dir, String name) {
        PrivateKey key = KeyFiles.generate();
        Path file = dir.resolve("keys").resolve(name + ".json");
        KeyFiles.save(file, key);
        return new Account(name, key, file);
    }

    Path dir() {
        return dir;
    }

    Account client() {
        return client;
    }

    Account validatorAccount() {
        return validatorAccount;
    }

    /** The funded account made for {@code name} at creation. */
    Account account(String name) {
        Account a = accounts.get(name);
        if (a == null) {
            throw new IllegalArgumentException("no account " + name + " in this network; make it at creation");
        }
        return a;
    }

    Path validatorData() {
        return dir.resolve("validator").resolve("data");
    }

    /** The validator's model store, which it serves to the compute nodes. */
    ModelStore validatorModels() {
        return new ModelStore(dir.resolve("validator").resolve("models"));
    }

    /** The API of the running validator. */
    String api() {
        if (api == null) {
            throw new IllegalStateException("the validator has not started");
        }
        return api;
    }

    /** A client of the running validator's API, for reading what the processes did. */
    VerityClient sdk() {
        if (sdk == null) {
            throw new IllegalStateException("the validator has not started");
        }
        return sdk;
    }

    VerityProcess validator() {
        return validator;
    }

    // ---- the validator -----------------------------------------------------------------------------------------

    /** Starts the validator on a free port and waits until it serves its API. */
    VerityProcess startValidator() {
        return startValidator(Map.of());
    }

    /** Starts the validator with {@code env} added to its environment and waits until it serves its API. */
    VerityProcess startValidator(Map<String, String> env) {
        VerityProcess p = launchValidator(env);
        p.awaitStdout("\"api\"", START_TIMEOUT);
        JsonNode started = p.json();
        assertThat(started.path("validator").asText()).isEqualTo(validatorAccount.id());
        useApi(started.path("api").asText());
        return p;
    }

    /** Starts the validator ({@code --json}) and returns at once: for a start that is expected to fail. */
    VerityProcess launchValidator(Map<String, String> env) {
        validator = processes.start("validator", env, List.of("validator", "--data-dir", validatorData().toString(),
                "--key", validatorAccount.keyFile().toString(), "--genesis", genesisFile.toString(), "--port", "0",
                "--block-interval", Long.toString(BLOCK_INTERVAL_MILLIS), "--models", validatorModels().dir().toString(),
                "--json"));
        return validator;
    }

    private void useApi(String url) {
        if (sdk != null) {
            sdk.close();
        }
        api = url;
        sdk = new VerityClient(url);
    }

    // ---- commands ----------------------------------------------------------------------------------------------

    /** Runs {@code bin/verity args...} against the validator's API, signing with {@code key}; fails unless it exits 0. */
    Processes.Result command(String name, Account key, String... args) {
        return processes.finish(launchCommand(name, key, args)).ok();
    }

    /** Starts {@code bin/verity args...} against the validator's API, signing with {@code key}; returns at once. */
    VerityProcess launchCommand(String name, Account key, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--api", api(), "--key", key.keyFile().toString()));
        return processes.startCommand(name, all);
    }

    // ---- models ------------------------------------------------------------------------------------------------

    /**
     * Puts the bundled sentence-embedding model (MiniLM, with its tokenizer) in the validator's store and, once the
     * validator runs, registers it with {@code bin/verity model register}. Returns its id.
     */
    String installSentenceModel() {
        return BundledModels.installMiniLm(validatorModels()).sha256Hex();
    }

    /** Registers the sentence model put in the store by {@link #installSentenceModel()} ({@code bin/verity model register}). */
    void registerSentenceModel(String id) {
        Path file = validatorModels().path(id);
        JsonNode r = command("model-register-minilm", client, "model", "register", file.toString(), "--name",
                BundledModels.MINILM_NAME, "--input-schema", "text:1:8192", "--wait", "--json").json();
        assertThat(r.path("model").asText()).isEqualTo(id);
    }

    /** Puts the digits model package in the validator's store (building it takes a few seconds). */
    ModelPackage installDigits() {
        return DigitsPackage.install(validatorModels());
    }

    /**
     * Registers the digits package ({@code bin/verity model register}) and its integer program (with the SDK: the
     * command line has no command for it), so that it is served OPTIMISTIC and SAMPLED too.
     */
    void registerDigits(ModelPackage digits) {
        Path file = validatorModels().dir().resolve(digits.id().hex() + ".vpkg");
        JsonNode r = command("model-register-digits", client, "model", "register", file.toString(), "--store",
                validatorModels().dir().toString(), "--input-schema", "float32:1x64:0:1", "--wait", "--json").json();
        assertThat(r.path("model").asText()).isEqualTo(digits.id().hex());
        ProgramCommitment program = new ProgramCommitment(digits.program());
        Hash tx = new Wallet(sdk(), client.key()).registerProgram(digits.id(), program.root(), program.leafCount(),
                program.stepCount());
        assertIncluded(tx);
    }

    // ---- compute nodes -----------------------------------------------------------------------------------------

    /** The compute node of account {@code name}: its folders under {@code <dir>/<name>/}. */
    ComputeNode computeNode(String name) {
        Path home = dir.resolve(name);
        return new ComputeNode(account(name), home.resolve("models"), home.resolve("state"));
    }

    /** {@code bin/verity node register}: stakes 1,500 VRT for {@code models} in {@code modes} (e.g. "NONE,SAMPLED"). */
    void register(ComputeNode node, List<String> models, String modes, int capacity) {
        processes.finish(launchRegistration(node, models, modes, capacity)).ok();
    }

    /** Starts {@code bin/verity node register} and returns at once ({@link Processes#finish} waits for it). */
    VerityProcess launchRegistration(ComputeNode node, List<String> models, String modes, int capacity) {
        List<String> args = new ArrayList<>(List.of("node", "register", "--stake", "1500", "--mode", modes, "--capacity",
                Integer.toString(capacity), "--wait", "--json"));
        for (String m : models) {
            args.add("--model");
            args.add(m);
        }
        return launchCommand("node-register-" + node.name(), node.account(), args.toArray(String[]::new));
    }

    /**
     * Starts {@code bin/verity node run} against {@code apiUrl} and returns at once; {@code options} are more options of
     * {@code node run} (an enclave's, say).
     */
    VerityProcess launchNode(ComputeNode node, String apiUrl, String... options) {
        List<String> args = new ArrayList<>(List.of("node", "run", "--key", node.account().keyFile().toString(), "--api", apiUrl,
                "--store", node.store().toString(), "--state-dir", node.stateDir().toString(), "--verbose"));
        args.addAll(List.of(options));
        return processes.start(node.name(), Map.of(), args);
    }

    /** Starts {@code bin/verity node run} against the validator and waits until it runs (its models pulled and loaded). */
    VerityProcess startNode(ComputeNode node) {
        return awaitRunning(launchNode(node, api()));
    }

    /** Waits until {@code node run} says it runs. */
    static VerityProcess awaitRunning(VerityProcess node) {
        return node.awaitStdout("Running;", START_TIMEOUT);
    }

    // ---- reading the chain -------------------------------------------------------------------------------------

    void assertIncluded(Hash tx) {
        TransactionReceipt r = sdk().awaitReceipt(tx, Duration.ofSeconds(60));
        assertThat(r.status()).as("transaction %s: %s %s", tx.hex(), r.code(), r.message()).isEqualTo("INCLUDED");
    }

    /** The job once it is SETTLED, FAILED, EXPIRED or CANCELLED; fails when it is not within {@code timeout}. */
    JobView awaitFinal(Hash job, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        assertIncluded(job);
        JobView v = sdk().job(job);
        while (!List.of("SETTLED", "FAILED", "EXPIRED", "CANCELLED").contains(v.status())) {
            if (System.nanoTime() > end) {
                throw new AssertionError("job " + job.hex() + " is still " + v.status() + " after " + timeout.toSeconds() + " s");
            }
            VerityProcess.sleep(100);
            v = sdk().job(job);
        }
        return v;
    }
}
