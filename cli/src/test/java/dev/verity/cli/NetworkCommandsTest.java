package dev.verity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verity.core.PrivateKey;
import dev.verity.devnet.DevEnclave;
import dev.verity.devnet.Devnet;
import dev.verity.devnet.DevnetGenesis;
import dev.verity.devnet.DevnetKeys;
import dev.verity.devnet.DevnetPlatform;
import dev.verity.ledger.Genesis;
import dev.verity.protocol.Params;
import dev.verity.sdk.KeyFiles;
import dev.verity.sdk.VerityClient;
import dev.verity.sdk.api.ModelView;
import dev.verity.service.model.ModelStore;
import dev.verity.validator.chain.ChainNode;
import dev.verity.validator.chain.NodeConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node-facing commands against a devnet started here (port 0, its own temporary directory). */
class NetworkCommandsTest {
    @TempDir
    static Path dir;

    static Devnet net;
    static VerityClient client;
    static String api;
    static String clientKey;

    @BeforeAll
    static void startDevnet() {
        net = Devnet.start(new Devnet.Options(dir.resolve("devnet"), 0, 100, 3));
        client = net.client();
        api = net.apiUrl();
        clientKey = dir.resolve("devnet/keys/client.json").toString();
    }

    @AfterAll
    static void stopDevnet() {
        if (net != null) {
            net.close();
        }
    }

    private static CliRun.Result run(String... args) {
        return CliRun.run(args);
    }

    @Test
    void keysNewWritesAKeyFileShowsItAndRefusesToOverwriteIt() {
        Path file = dir.resolve("keys/alice.json");
        CliRun.Result r = run("keys", "new", "--out", file.toString(), "--json");
        assertThat(r.exitCode()).as("%s", r).isZero();
        String pub = r.json().get("publicKey").asText();
        assertThat(pub).matches("[0-9a-f]{64}");
        assertThat(KeyFiles.load(file).publicKey().hex()).isEqualTo(pub);

        CliRun.Result show = run("keys", "show", file.toString());
        assertThat(show.exitCode()).isZero();
        assertThat(show.out()).contains(pub).doesNotContain(KeyFiles.load(file).seedHex());

        CliRun.Result again = run("keys", "new", "--out", file.toString());
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).startsWith("error: ").contains("already exists");
        assertThat(KeyFiles.load(file).publicKey().hex()).isEqualTo(pub);
    }

    @Test
    void transferWaitsForItsBlockAndTheBalanceShowsIt() {
        Path file = dir.resolve("keys/bob.json");
        String bob = run("keys", "new", "--out", file.toString(), "--json").json().get("publicKey").asText();

        CliRun.Result t = run("transfer", "--api", api, "--key", clientKey, "--to", bob, "--amount", "2.5", "--wait", "--json");
        assertThat(t.exitCode()).as("%s", t).isZero();
        JsonNode receipt = t.json();
        assertThat(receipt.get("status").asText()).isEqualTo("INCLUDED");
        assertThat(receipt.get("height").asLong()).isPositive();
        assertThat(receipt.get("transaction").asText()).matches("[0-9a-f]{64}");
        assertThat(receipt.get("amount").asLong()).isEqualTo(2_500_000);

        CliRun.Result byId = run("account", "balance", bob, "--api", api, "--json");
        assertThat(byId.exitCode()).as("%s", byId).isZero();
        assertThat(byId.json().get("balance").asLong()).isEqualTo(2_500_000);

        CliRun.Result byKey = run("account", "balance", "--api", api, "--key", file.toString());
        assertThat(byKey.exitCode()).as("%s", byKey).isZero();
        assertThat(byKey.out()).contains(bob).contains("2.500000 VRT");

        // Bob cannot send more than he has: refused by the node, exit 1, one error line.
        CliRun.Result tooMuch = run("transfer", "--api", api, "--key", file.toString(), "--to", bob, "--amount", "100", "--wait");
        assertThat(tooMuch.exitCode()).as("%s", tooMuch).isEqualTo(1);
        assertThat(tooMuch.err()).startsWith("error: ").doesNotContain("\tat ");
    }

    @Test
    void modelRegisterRefusesAFileThatIsNotOnnxBeforeSigningAnything() throws Exception {
        Path fake = dir.resolve("not-a-model.onnx");
        Files.writeString(fake, "this is not an ONNX model, just text\n", StandardCharsets.UTF_8);
        List<ModelView> before = client.models();
        long nonce = client.account(KeyFiles.load(Path.of(clientKey)).publicKey()).nextNonce();

        CliRun.Result r = run("model", "register", fake.toString(), "--api", api, "--key", clientKey, "--wait");
        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        assertThat(r.err()).startsWith("error: " + fake + " is not a valid ONNX model: ").doesNotContain("\tat ");
        assertThat(r.err().lines().count()).isOne();

        CliRun.Result json = run("model", "register", fake.toString(), "--api", api, "--key", clientKey, "--json");
        assertThat(json.exitCode()).isEqualTo(1);
        assertThat(json.json().get("code").asText()).isEqualTo("INVALID_MODEL");
        assertThat(json.json().get("message").asText()).contains("not a valid ONNX model");

        assertThat(client.models()).isEqualTo(before);
        assertThat(client.account(KeyFiles.load(Path.of(clientKey)).publicKey()).nextNonce()).isEqualTo(nonce);
    }

    @Test
    void modelRegisterInspectsARealModelAndTheNodeRefusesADuplicate() throws Exception {
        Path copy = dir.resolve("minilm.onnx");
        Files.copy(new ModelStore(dir.resolve("devnet/models")).path(net.model().hex()), copy);

        CliRun.Result r = run("model", "register", copy.toString(), "--api", api, "--key", clientKey, "--wait", "--json");
        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        assertThat(r.json().get("code").asText()).isEqualTo("MODEL_EXISTS");

        CliRun.Result list = run("model", "list", "--api", api, "--json");
        assertThat(list.exitCode()).isZero();
        JsonNode miniLm = null;
        for (JsonNode m : list.json()) {
            if (m.get("id").asText().equals(net.model().hex())) {
                miniLm = m;
            }
        }
        assertThat(miniLm).as("MiniLM in %s", list.out()).isNotNull();
        assertThat(miniLm.get("computeUnits").asLong()).isEqualTo(10_616_832L);

        CliRun.Result show = run("model", "show", net.model().hex(), "--api", api);
        assertThat(show.exitCode()).isZero();
        assertThat(show.out()).contains("all-MiniLM-L6-v2-q", "10616832");
    }

    @Test
    void modelRegisterAcceptsAPackageAndShowJoinsItsOnChainRecord() throws Exception {
        Path onnx = dir.resolve("digits-mlp.onnx");
        try (java.io.InputStream in = NetworkCommandsTest.class.getResourceAsStream("/models/digits-mlp.onnx")) {
            Files.write(onnx, in.readAllBytes());
        }
        Path built = dir.resolve("built-packages");
        Path local = dir.resolve("local-store");

        // The CLI builds the very package the devnet serves (the import is deterministic), which is registered already.
        CliRun.Result devnetPackage = run("model", "import", onnx.toString(), "--calibration", "digits:train", "--evaluation",
                "digits:test", "--name", "digits-mlp-int8", "--store", built.toString(), "--json");
        assertThat(devnetPackage.exitCode()).as("%s", devnetPackage).isZero();
        assertThat(devnetPackage.json().get("id").asText()).isEqualTo(net.integerModel().hex());

        CliRun.Result imported = run("model", "import", onnx.toString(), "--calibration", "digits:train", "--name",
                "digits-mlp-cli", "--store", built.toString(), "--json");
        assertThat(imported.exitCode()).as("%s", imported).isZero();
        String id = imported.json().get("id").asText();
        Path pkg = built.resolve(id + ".vpkg");

        CliRun.Result r = run("model", "register", pkg.toString(), "--store", local.toString(), "--api", api, "--key", clientKey,
                "--wait", "--json");
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.json().get("model").asText()).isEqualTo(id);
        assertThat(r.json().get("name").asText()).isEqualTo("digits-mlp-cli");
        assertThat(r.json().get("computeUnits").asLong()).isEqualTo(imported.json().get("computeUnits").asLong());
        assertThat(local.resolve(id + ".vpkg")).isRegularFile().hasSameBinaryContentAs(pkg);
        ModelView m = client.model(dev.verity.core.Hash.fromHex(id));
        assertThat(m.name()).isEqualTo("digits-mlp-cli");
        assertThat(m.inputDescription()).contains("input FLOAT[?, 64]");

        CliRun.Result show = run("model", "show", id, "--store", local.toString(), "--api", api, "--json");
        assertThat(show.exitCode()).as("%s", show).isZero();
        assertThat(show.json().get("onChainStatus").asText()).isEqualTo("registered");
        assertThat(show.json().get("onChain").get("name").asText()).isEqualTo("digits-mlp-cli");
        assertThat(show.json().get("operators").toString()).isEqualTo("[\"Gemm\",\"Relu\"]");

        CliRun.Result human = run("model", "show", id, "--store", local.toString(), "--api", api);
        assertThat(human.exitCode()).as("%s", human).isZero();
        assertThat(human.out()).contains("on chain:").contains("registered").contains("on-chain record:").contains("owner:");

        CliRun.Result again = run("model", "register", built.resolve(net.integerModel().hex() + ".vpkg").toString(), "--store",
                local.toString(), "--api", api, "--key", clientKey, "--wait", "--json");
        assertThat(again.exitCode()).as("%s", again).isEqualTo(1);
        assertThat(again.json().get("code").asText()).isEqualTo("MODEL_EXISTS");
    }

    @Test
    void jobSubmitWaitSettlesAndJobShowAndListFindIt() throws Exception {
        Path input = dir.resolve("input.txt");
        Files.writeString(input, "A node runs the job and the chain checks the evidence.", StandardCharsets.UTF_8);

        CliRun.Result r = run("job", "submit", "--api", api, "--key", clientKey, "--model", net.model().hex(), "--mode", "NONE",
                "--input", input.toString(), "--max-fee", "0.5", "--wait", "--timeout", "60", "--json");
        assertThat(r.exitCode()).as("%s", r).isZero();
        JsonNode job = r.json();
        String id = job.get("id").asText();
        assertThat(id).matches("[0-9a-f]{64}");
        assertThat(job.get("status").asText()).isEqualTo("SETTLED");
        assertThat(job.get("mode").asText()).isEqualTo("NONE");
        assertThat(job.get("node").asText()).matches("[0-9a-f]{64}");
        assertThat(job.get("outputHash").asText()).matches("[0-9a-f]{64}");
        // 10.6 M multiply-accumulates at a few thousand base units per 10^15: the minimum job fee applies
        assertThat(job.get("fee").asLong()).isEqualTo(1_000);
        assertThat(job.get("basePrice").asLong()).isBetween(70L, 7_000L);
        assertThat(job.get("outputSize").asInt()).isEqualTo(384 * 4);
        assertThat(job.get("embeddingPrefix").size()).isEqualTo(5);

        CliRun.Result show = run("job", "show", id, "--api", api, "--json");
        assertThat(show.exitCode()).as("%s", show).isZero();
        assertThat(show.json().get("status").asText()).isEqualTo("SETTLED");
        assertThat(show.json().get("output").asText()).isNotEmpty();
        assertThat(show.json().get("outputHash").asText()).isEqualTo(job.get("outputHash").asText());

        CliRun.Result human = run("job", "show", id, "--api", api);
        assertThat(human.exitCode()).isZero();
        assertThat(human.out()).contains("SETTLED", "0.001000 VRT", "base price", "1536 bytes", "embedding");

        CliRun.Result list = run("job", "list", "--api", api, "--status", "settled", "--limit", "50", "--json");
        assertThat(list.exitCode()).as("%s", list).isZero();
        assertThat(list.json().findValuesAsText("id")).contains(id);

        CliRun.Result unknown = run("job", "show", "00".repeat(32), "--api", api);
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).startsWith("error: ");
    }

    @Test
    void jobSubmitChecksTheInputAgainstTheModelsSchemaBeforeSendingAndReadsNoMoreThanItsLimit() throws Exception {
        long balance = client.account(KeyFiles.load(Path.of(clientKey)).publicKey()).balance();
        long height = client.status().height();

        Path badText = dir.resolve("bad-utf8.txt");
        Files.write(badText, new byte[] {'h', 'i', (byte) 0xC3, (byte) 0x28});
        CliRun.Result r = run("job", "submit", "--api", api, "--key", clientKey, "--model", net.model().hex(), "--mode", "NONE",
                "--input", badText.toString(), "--json");
        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        assertThat(r.json().get("code").asText()).isEqualTo("INVALID_INPUT");
        assertThat(r.json().get("message").asText()).contains("byte 3", "UTF-8");

        // 50 MB: refused from its size, long before the request-size limit; the file is not read
        Path huge = dir.resolve("huge.bin");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(50L * 1024 * 1024);
        }
        CliRun.Result big = run("job", "submit", "--api", api, "--key", clientKey, "--model", net.model().hex(), "--mode", "NONE",
                "--input", huge.toString());
        assertThat(big.exitCode()).as("%s", big).isEqualTo(1);
        assertThat(big.err()).contains("52428800 bytes", "at most 8192");

        Path nan = dir.resolve("nan.bin");
        float[] pixels = new float[64];
        pixels[7] = Float.NaN;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(256).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float x : pixels) {
            b.putFloat(x);
        }
        Files.write(nan, b.array());
        CliRun.Result poisoned = run("job", "submit", "--api", api, "--key", clientKey, "--model", net.integerModel().hex(),
                "--mode", "OPTIMISTIC", "--input", nan.toString());
        assertThat(poisoned.exitCode()).as("%s", poisoned).isEqualTo(1);
        assertThat(poisoned.err()).contains("element 7 of 64 is NaN");

        assertThat(client.account(KeyFiles.load(Path.of(clientKey)).publicKey()).balance()).as("nothing escrowed")
                .isEqualTo(balance);
        assertThat(client.model(net.integerModel()).inputSchema().kind()).isEqualTo("FLOAT32_TENSOR");
        assertThat(client.model(net.integerModel()).inputSchema().max()).isEqualTo(1f);
        CliRun.Result show = run("model", "show", net.model().hex(), "--api", api);
        assertThat(show.exitCode()).as("%s", show).isZero();
        assertThat(show.out()).contains("UTF-8 text, 1 to 8192 bytes");
        assertThat(client.status().height()).isGreaterThanOrEqualTo(height);
    }

    @Test
    void jobSubmitFindsTheModelByName() throws Exception {
        Path input = dir.resolve("input2.txt");
        Files.writeString(input, "The cat sits on the mat.", StandardCharsets.UTF_8);
        CliRun.Result r = run("job", "submit", "--api", api, "--key", clientKey, "--model", "all-MiniLM-L6-v2-q", "--mode", "TEE",
                "--input", input.toString(), "--wait");
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.out()).contains("SETTLED", "TEE", "embedding");
    }

    @Test
    void nodeListShowsTheComputeNodes() {
        CliRun.Result r = run("node", "list", "--api", api, "--json");
        assertThat(r.exitCode()).as("%s", r).isZero();
        List<String> devnetNodes = net.nodes().stream().map(n -> n.key().publicKey().hex()).toList();
        List<JsonNode> nodes = new java.util.ArrayList<>();
        r.json().forEach(n -> {
            if (devnetNodes.contains(n.get("id").asText())) {
                nodes.add(n);
            }
        });
        assertThat(nodes).hasSize(3);
        for (JsonNode n : nodes) {
            assertThat(n.get("id").asText()).matches("[0-9a-f]{64}");
            assertThat(n.get("stake").asLong()).isGreaterThanOrEqualTo(1_000 * Params.BASE_UNITS_PER_TOKEN);
            assertThat(n.get("status").asText()).isEqualTo("ACTIVE");
            assertThat(n.get("capacity").asInt()).as("registered with its worker's threads").isEqualTo(Devnet.WORKER_CAPACITY);
            assertThat(n.get("jobsInFlight").asInt()).isBetween(0, Devnet.WORKER_CAPACITY);
            assertThat(n.has("assignable")).isTrue();
        }
        String first = nodes.get(0).get("id").asText();
        CliRun.Result show = run("node", "show", first, "--api", api);
        assertThat(show.exitCode()).isZero();
        assertThat(show.out()).contains(first, "ACTIVE", "VRT", "capacity", Devnet.WORKER_CAPACITY + " jobs at once",
                "jobs in flight", "assignable");

        CliRun.Result human = run("node", "list", "--api", api);
        assertThat(human.out()).contains("NODE", "STAKE", first, "IN FLIGHT", "/" + Devnet.WORKER_CAPACITY, "ASSIGNABLE");
    }

    @Test
    void nodeRegisterDeclaresACapacityAndSetCapacityChangesIt() throws Exception {
        Path file = dir.resolve("keys/capacity-node.json");
        CliRun.Result made = run("keys", "new", "--out", file.toString(), "--json");
        assertThat(made.exitCode()).as("%s", made).isZero();
        String id = made.json().get("publicKey").asText();
        assertThat(run("transfer", "--api", api, "--key", clientKey, "--to", id, "--amount", "1500", "--wait").exitCode()).isZero();
        // A model nobody sends jobs to, so this node without a worker is never assigned one.
        dev.verity.core.Hash idle = dev.verity.core.Sha256.digest(dev.verity.core.Bytes.utf8("capacity test model"));
        String reg = net.clientWallet().registerModel(idle, "idle", "text", "text", 1_000).hex();
        assertThat(client.awaitReceipt(dev.verity.core.Hash.fromHex(reg), java.time.Duration.ofSeconds(30)).status())
                .isEqualTo("INCLUDED");

        CliRun.Result zero = run("node", "register", "--api", api, "--key", file.toString(), "--stake", "1000", "--model",
                idle.hex(), "--capacity", "0");
        assertThat(zero.exitCode()).as("%s", zero).isEqualTo(2);
        assertThat(zero.err()).contains("capacity is 1 to");

        CliRun.Result r = run("node", "register", "--api", api, "--key", file.toString(), "--stake", "1000", "--model",
                idle.hex(), "--capacity", "2", "--wait", "--json");
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(client.node(dev.verity.core.PublicKey.fromHex(id)).capacity()).isEqualTo(2);

        CliRun.Result set = run("node", "set-capacity", "6", "--api", api, "--key", file.toString(), "--wait");
        assertThat(set.exitCode()).as("%s", set).isZero();
        CliRun.Result show = run("node", "show", id, "--api", api, "--json");
        assertThat(show.json().get("capacity").asInt()).isEqualTo(6);
        assertThat(show.json().get("jobsInFlight").asInt()).isZero();
        assertThat(show.json().get("assignable").asBoolean()).isTrue();
        assertThat(show.json().has("notAssignableBecause")).isFalse();
        assertThat(run("node", "show", id, "--api", api).out()).contains("6 jobs at once", "assignable", "yes");

        CliRun.Result same = run("node", "set-capacity", "6", "--api", api, "--key", file.toString(), "--wait");
        assertThat(same.exitCode()).as("%s", same).isEqualTo(1);
        assertThat(same.err()).contains("already 6");
        assertThat(run("node", "set-capacity", "0", "--api", api, "--key", file.toString()).exitCode()).isEqualTo(2);
    }

    @Test
    void severalApiUrlsFailOverToTheValidatorThatAnswers() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        CliRun.Result r = run("params", "--api", "http://127.0.0.1:" + closed + "," + api, "--json");
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.json().get("minValidatorStake").asLong()).isEqualTo(Params.defaults().minValidatorStake());

        CliRun.Result none = run("params", "--api", "http://127.0.0.1:" + closed, "--json");
        assertThat(none.exitCode()).as("%s", none).isNotZero();
    }

    @Test
    void paramsShowEveryParameterAndTheRules() {
        CliRun.Result r = run("params", "--api", api, "--json");
        assertThat(r.exitCode()).as("%s", r).isZero();
        JsonNode p = r.json();
        assertThat(p.get("minStake").asLong()).isEqualTo(Params.defaults().minStake());
        assertThat(p.get("rules").isArray()).isTrue();

        CliRun.Result human = run("params", "--api", api);
        assertThat(human.exitCode()).isZero();
        assertThat(human.out()).contains("minStake", "1000.000000 VRT", "missedDeadlinePenaltyBps", "Rules");
    }

    @Test
    void chainVerifyChecksAStoppedNodeAndRefusesARunningOne() throws Exception {
        Path nodeDir = dir.resolve("stopped");
        DevnetKeys keys = DevnetKeys.loadOrCreate(nodeDir.resolve("keys"), 1);
        Genesis genesis = DevnetGenesis.loadOrCreate(nodeDir.resolve("genesis.bin"), keys,
                DevnetPlatform.loadOrCreate(nodeDir.resolve("keys").resolve("dev-sev-snp"), 1_700_000_000_000L),
                DevEnclave.buildMeasurement(), Params.defaults(), 1_700_000_000_000L);
        PrivateKey validator = keys.validator();
        try (ChainNode chain = ChainNode.open(NodeConfig.defaults(nodeDir.resolve("chain")), genesis, validator)) {
            for (int i = 0; i < 3; i++) {
                chain.produceBlock();
            }
        }
        CliRun.Result ok = run("chain", "verify", "--data-dir", nodeDir.resolve("chain").toString());
        assertThat(ok.exitCode()).as("%s", ok).isZero();
        assertThat(ok.out()).contains("OK").contains("blocks:");

        CliRun.Result devnetDir = run("chain", "verify", "--data-dir", nodeDir.toString(), "--json");
        assertThat(devnetDir.exitCode()).as("%s", devnetDir).isZero();
        assertThat(devnetDir.json().get("ok").asBoolean()).isTrue();
        assertThat(devnetDir.json().get("blocks").asLong()).isEqualTo(3);

        CliRun.Result running = run("chain", "verify", "--data-dir", dir.resolve("devnet").toString());
        assertThat(running.exitCode()).as("%s", running).isEqualTo(1);
        assertThat(running.err()).contains("stop the node first");

        CliRun.Result empty = run("chain", "verify", "--data-dir", dir.resolve("nothing-here").toString());
        assertThat(empty.exitCode()).isEqualTo(1);
        assertThat(Files.exists(dir.resolve("nothing-here"))).isFalse();
    }

    @Test
    void badUsageExitsTwoAndAnUnreachableNodeExitsOne() {
        CliRun.Result flag = run("node", "list", "--bogus");
        assertThat(flag.exitCode()).isEqualTo(2);
        assertThat(flag.err()).startsWith("error: ").contains("--bogus");

        assertThat(run("demo", "--jobs", "3").exitCode()).isEqualTo(2);
        assertThat(run("transfer", "--api", api, "--key", clientKey, "--to", "xyz", "--amount", "1").exitCode()).isEqualTo(2);
        assertThat(run("transfer", "--api", api, "--key", clientKey, "--to", "00".repeat(32), "--amount", "abc").exitCode())
                .isEqualTo(2);
        assertThat(run("job").exitCode()).isEqualTo(2);

        CliRun.Result json = run("params", "--json", "--nope");
        assertThat(json.exitCode()).isEqualTo(2);
        assertThat(json.json().get("code").asText()).isEqualTo("BAD_USAGE");

        CliRun.Result down = run("params", "--api", "http://127.0.0.1:1", "--json");
        assertThat(down.exitCode()).isEqualTo(1);
        assertThat(down.json().get("code").asText()).isEqualTo("UNREACHABLE");

        CliRun.Result help = run("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("demo", "devnet", "job", "chain");
    }
}
