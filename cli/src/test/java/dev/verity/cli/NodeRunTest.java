package dev.verity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.compute.ComputeNodeProgram;
import dev.verity.compute.worker.EnginePolicy;
import dev.verity.core.Bytes;
import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.devnet.DevEnclave;
import dev.verity.devnet.Devnet;
import dev.verity.devtee.DevSevSnpPlatform;
import dev.verity.protocol.Params;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.tx.Hardware;
import dev.verity.sdk.KeyFiles;
import dev.verity.sdk.VerityClient;
import dev.verity.sdk.Wallet;
import dev.verity.sdk.api.JobView;
import dev.verity.sdk.api.NodeView;
import dev.verity.service.model.ModelStore;
import dev.verity.testkit.TestGenesis;
import dev.verity.validator.LocalChain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code verity node run}: an operator's compute node, outside the devnet, against a running network. It refuses to
 * start with what to do when it is not registered or lacks a model, and otherwise answers the jobs the chain assigns it.
 */
class NodeRunTest {
    @TempDir
    static Path dir;

    static Devnet net;
    static VerityClient client;
    static PrivateKey operator;
    static Path operatorKey;

    @BeforeAll
    static void startDevnetAndRegisterAnOperator() throws Exception {
        net = Devnet.start(new Devnet.Options(dir.resolve("devnet"), 0, 100, 1));
        client = net.client();
        operator = KeyFiles.generate();
        operatorKey = dir.resolve("operator.json");
        KeyFiles.save(operatorKey, operator);
        Wallet bank = net.clientWallet();
        assertThat(client.awaitReceipt(bank.transfer(operator.publicKey(), 40_000 * Params.BASE_UNITS_PER_TOKEN),
                Duration.ofSeconds(30)).status()).isEqualTo("INCLUDED");
        // Ten times the devnet node's stake: most jobs are assigned to the operator's node.
        Wallet node = new Wallet(client, operator);
        assertThat(client.awaitReceipt(node.registerNode(30_000 * Params.BASE_UNITS_PER_TOKEN, List.of(net.model()),
                List.of(VerificationMode.NONE), Hardware.cpuOnly("operator CPU", 2), 2), Duration.ofSeconds(30)).status())
                .isEqualTo("INCLUDED");
    }

    @AfterAll
    static void stopDevnet() {
        if (net != null) {
            net.close();
        }
    }

    @Test
    void aKeyThatIsNoRegisteredNodeIsRefusedWithWhatToDo() throws Exception {
        Path stranger = dir.resolve("stranger.json");
        KeyFiles.save(stranger, KeyFiles.generate());
        CliRun.Result r = CliRun.run("node", "run", "--api", net.apiUrl(), "--key", stranger.toString(), "--store",
                dir.resolve("empty-store").toString(), "--json");
        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        assertThat(r.json().get("code").asText()).isEqualTo("NOT_REGISTERED");
        assertThat(r.json().get("message").asText()).contains("verity node register");
    }

    @Test
    void aNodeWhoseModelNoValidatorHoldsRefusesToStartAndNamesIt() throws Exception {
        // A model on chain whose file no validator holds, and a node that declares it.
        Hash orphan = dev.verity.core.Sha256.digest(Bytes.utf8("a model file nobody serves"));
        assertThat(client.awaitReceipt(net.clientWallet().registerModel(orphan, "orphan", "text", "text", 1_000),
                Duration.ofSeconds(30)).status()).isEqualTo("INCLUDED");
        PrivateKey lonely = KeyFiles.generate();
        Path lonelyKey = dir.resolve("lonely.json");
        KeyFiles.save(lonelyKey, lonely);
        assertThat(client.awaitReceipt(net.clientWallet().transfer(lonely.publicKey(), 2_000 * Params.BASE_UNITS_PER_TOKEN),
                Duration.ofSeconds(30)).status()).isEqualTo("INCLUDED");
        assertThat(client.awaitReceipt(new Wallet(client, lonely).registerNode(1_500 * Params.BASE_UNITS_PER_TOKEN, List.of(orphan),
                List.of(VerificationMode.NONE), Hardware.cpuOnly("operator CPU", 2), 1), Duration.ofSeconds(30)).status())
                .isEqualTo("INCLUDED");
        CliRun.Result r = CliRun.run("node", "run", "--api", net.apiUrl(), "--key", lonelyKey.toString(),
                "--store", dir.resolve("lonely-store").toString(), "--state-dir", dir.resolve("lonely-state").toString(), "--json");
        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        assertThat(r.json().get("code").asText()).isEqualTo("MODEL_MISSING");
        assertThat(r.json().get("message").asText()).contains(orphan.hex(), "verity validator --models");
    }

    @Test
    void anUnavailableDeviceIsRefusedWithWhatToInstall() {
        CliRun.Result r = CliRun.run("node", "run", "--api", net.apiUrl(), "--key", operatorKey.toString(), "--device", "cuda:0",
                "--json");
        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        assertThat(r.json().get("code").asText()).isEqualTo("DEVICE_UNAVAILABLE");
        assertThat(r.json().get("message").asText()).contains("onnxruntime_gpu");
    }

    @Test
    void noValidatorAnsweringIsSaidPlainly() {
        CliRun.Result r = CliRun.run("node", "run", "--api", "http://127.0.0.1:1", "--key", operatorKey.toString());
        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        assertThat(r.err()).contains("no validator answers", "127.0.0.1:1");
    }

    @Test
    void theOperatorsNodeAnswersTheJobsAssignedToItAndStopsCleanly() throws Exception {
        ModelStore store = new ModelStore(dir.resolve("devnet/models"));
        assertThat(Files.isDirectory(store.dir())).isTrue();
        try (ComputeNodeProgram program = ComputeNodeProgram.start(new ComputeNodeProgram.Options(
                List.of("http://127.0.0.1:1", net.apiUrl()), operator, store, 0, EnginePolicy.FAST_WHERE_TRUSTED,
                Duration.ofSeconds(10)))) {
            assertThat(program.apiUrl()).as("fails over past a validator that does not answer").isEqualTo(net.apiUrl());
            long byOperator = settledBy(operator, VerificationMode.NONE, 10);
            assertThat(byOperator).as("jobs settled by the operator's node").isPositive();
            // A job settles in the block that includes the result, a moment before the worker hears its receipt and
            // counts it; stopping waits for the worker's running jobs, so the count is final after it.
            program.stop(Duration.ofSeconds(5));
            assertThat(program.worker().running()).isZero();
            assertThat(program.worker().completed()).isEqualTo(byOperator);
        }
        assertThat(client.node(operator.publicKey()).penalized()).isZero();
    }

    @Test
    void registerRegistersAnUnregisteredKeyWithWhatItDeclaresThenServes() throws Exception {
        PrivateKey fresh = fundedKey("fresh", 3_000);
        ComputeNodeProgram.NodeRegistration declared = new ComputeNodeProgram.NodeRegistration(2_000 * Params.BASE_UNITS_PER_TOKEN,
                List.of(net.model()), List.of(VerificationMode.NONE), Hardware.cpuOnly("fresh CPU", 2), 3);
        ModelStore store = new ModelStore(dir.resolve("fresh-store"));
        try (ComputeNodeProgram program = ComputeNodeProgram.start(new ComputeNodeProgram.Options(List.of(net.apiUrl()), fresh,
                store, 0, EnginePolicy.FAST_WHERE_TRUSTED, Duration.ofSeconds(5), dir.resolve("fresh-state"),
                new dev.verity.compute.model.Device.Cpu()).with(ComputeNodeProgram.Extras.NONE.withRegistration(declared)))) {
            NodeView node = client.node(fresh.publicKey());
            assertThat(node.stake()).isEqualTo(2_000 * Params.BASE_UNITS_PER_TOKEN);
            assertThat(node.capacity()).isEqualTo(3);
            assertThat(node.models()).containsExactly(net.model().hex());
            assertThat(program.worker().config().capacity()).isEqualTo(3);
            assertThat(store.contains(net.model().hex())).as("the model was pulled from the validator").isTrue();
        }
    }

    @Test
    void registerNeedsAStakeAndAModel() {
        Path key = dir.resolve("no-stake.json");
        KeyFiles.save(key, KeyFiles.generate());
        CliRun.Result r = CliRun.run("node", "run", "--api", net.apiUrl(), "--key", key.toString(), "--register", "--json");
        assertThat(r.exitCode()).as("%s", r).isEqualTo(2);
        assertThat(r.err() + r.out()).contains("--stake", "--model");
    }

    @Test
    void aTeeNodeRegistersItsEnclaveAtStartAndAnswersTeeJobs() throws Exception {
        PrivateKey tee = fundedKey("tee", 40_000);
        assertThat(client.awaitReceipt(new Wallet(client, tee).registerNode(30_000 * Params.BASE_UNITS_PER_TOKEN,
                List.of(net.model()), List.of(VerificationMode.NONE, VerificationMode.TEE), Hardware.cpuOnly("tee CPU", 2), 2),
                Duration.ofSeconds(30)).status()).isEqualTo("INCLUDED");
        CliRun.Result refused = CliRun.run("node", "run", "--api", net.apiUrl(), "--key", keyFile("tee", tee).toString(),
                "--store", dir.resolve("devnet/models").toString(), "--state-dir", dir.resolve("tee-state").toString(), "--json");
        assertThat(refused.exitCode()).as("%s", refused).isEqualTo(1);
        assertThat(refused.json().get("code").asText()).isEqualTo("NO_ENCLAVE");
        assertThat(refused.json().get("message").asText()).contains("--tee tsm");

        DevSevSnpPlatform platform = DevSevSnpPlatform.load(dir.resolve("devnet/keys/dev-sev-snp"));
        ComputeNodeProgram.EnclaveLauncher dev = (chain, node) -> DevEnclave.launch(platform, chain, node, DevEnclave.buildMeasurement());
        try (ComputeNodeProgram program = ComputeNodeProgram.start(new ComputeNodeProgram.Options(List.of(net.apiUrl()), tee,
                new ModelStore(dir.resolve("devnet/models")), 0, EnginePolicy.FAST_WHERE_TRUSTED, Duration.ofSeconds(5))
                .with(ComputeNodeProgram.Extras.NONE.withEnclaves(dev)))) {
            String enclave = client.node(tee.publicKey()).enclaveKey();
            assertThat(enclave).as("registered at start").isNotNull();
            long byTee = settledBy(tee, VerificationMode.TEE, 6);
            assertThat(byTee).as("TEE jobs answered from the node's enclave").isPositive();
            program.stop(Duration.ofSeconds(5));
        }
        assertThat(client.node(tee.publicKey()).penalized()).isZero();
    }

    @Test
    void enclaveRegisterOffAConfidentialVmSaysWhatIsMissing() {
        CliRun.Result r = CliRun.run("node", "enclave", "register", "--api", net.apiUrl(), "--key", operatorKey.toString(),
                "--tee", "tsm", "--tsm-root", dir.resolve("no-tsm").toString(), "--state-dir", dir.resolve("enclave-state").toString(),
                "--json");
        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        assertThat(r.json().get("code").asText()).isEqualTo("NO_ENCLAVE");
        assertThat(r.json().get("message").asText()).contains("not a confidential VM");
        assertThat(dir.resolve("enclave-state").resolve(EnclaveOptions.ENCLAVE_KEY_FILE)).as("the enclave key is kept").exists();
    }

    @Test
    void aDevelopmentEnclaveIsRefusedOffTheDevnet() throws Exception {
        PrivateKey validator = PrivateKey.deterministic("run-test-validator");
        PrivateKey teeNode = PrivateKey.deterministic("run-test-tee");
        try (LocalChain other = LocalChain.start(dir.resolve("other-chain"), TestGenesis.chain("verity-other")
                .fund(teeNode, 10_000 * Params.BASE_UNITS_PER_TOKEN).validator(validator).build(), validator)) {
            Wallet wallet = new Wallet(other.client(), teeNode);
            Hash model = wallet.registerModel(net.model(), "embeddings", "text", "vector", 1_000);
            other.chain().produceBlock();
            assertThat(other.client().awaitReceipt(model, Duration.ofSeconds(10)).status()).isEqualTo("INCLUDED");
            Hash tx = wallet.registerNode(2_000 * Params.BASE_UNITS_PER_TOKEN, List.of(net.model()),
                    List.of(VerificationMode.TEE), Hardware.cpuOnly("cpu", 2), 1);
            other.chain().produceBlock();
            assertThat(other.client().awaitReceipt(tx, Duration.ofSeconds(10)).status()).isEqualTo("INCLUDED");
            CliRun.Result r = CliRun.run("node", "run", "--api", other.api(), "--key", keyFile("other-tee", teeNode).toString(),
                    "--store", dir.resolve("devnet/models").toString(), "--dev-enclave", dir.resolve("devnet/keys/dev-sev-snp").toString(),
                    "--json");
            assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
            assertThat(r.json().get("message").asText()).contains("for the devnet", "verity-other");
        }
    }

    /** Submits {@code n} sentence jobs in {@code mode}, checks that each settles, and counts those {@code node} settled. */
    private static long settledBy(PrivateKey node, VerificationMode mode, int n) throws InterruptedException {
        List<Hash> jobs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            jobs.add(net.clientWallet().submitJob(net.model(), Bytes.utf8(mode + " job " + i + " for " + node.publicKey().hex()),
                    mode, List.of(), Params.BASE_UNITS_PER_TOKEN, 50));
        }
        long by = 0;
        for (Hash id : jobs) {
            JobView v = awaitSettled(id);
            assertThat(v.status()).isEqualTo("SETTLED");
            by += node.publicKey().hex().equals(v.assignedNode()) ? 1 : 0;
        }
        return by;
    }

    private static PrivateKey fundedKey(String name, long tokens) {
        PrivateKey key = KeyFiles.generate();
        assertThat(client.awaitReceipt(net.clientWallet().transfer(key.publicKey(), tokens * Params.BASE_UNITS_PER_TOKEN),
                Duration.ofSeconds(30)).status()).isEqualTo("INCLUDED");
        keyFile(name, key);
        return key;
    }

    private static Path keyFile(String name, PrivateKey key) {
        Path file = dir.resolve(name + ".json");
        if (!Files.exists(file)) {
            KeyFiles.save(file, key);
        }
        return file;
    }

    static JobView awaitSettled(Hash id) throws InterruptedException {
        assertThat(client.awaitReceipt(id, Duration.ofSeconds(30)).status()).isEqualTo("INCLUDED");
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JobView v = client.job(id);
        while (!JobCommand.FINAL_STATUSES.contains(v.status()) && System.nanoTime() < end) {
            Thread.sleep(100);
            v = client.job(id);
        }
        return v;
    }
}
