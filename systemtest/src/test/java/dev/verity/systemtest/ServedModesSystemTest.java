package dev.verity.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verity.core.Hash;
import dev.verity.core.Sha256;
import dev.verity.inference.engine.EngineOptions;
import dev.verity.inference.pkg.ModelPackage;
import dev.verity.modelhub.hub.PackageRunner;
import dev.verity.sdk.EventQuery;
import dev.verity.sdk.api.EventView;
import dev.verity.sdk.api.JobView;
import dev.verity.sdk.api.NodeView;
import dev.verity.service.model.ModelStore;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A validator and two compute nodes, all started from the release archive, each node with its own key, model store
 * (pulled from the validator) and state directory: a job settles in every verification mode the node program serves,
 * submitted with {@code bin/verity job submit --wait}. Alice also serves TEE, from the development enclave (the chain
 * trusts its platform and the release's build measurement). The jobs of all modes are submitted at once, each by a
 * client of its own, and each test checks one of them.
 */
class ServedModesSystemTest {
    @RegisterExtension
    static final Processes processes = new Processes();

    @TempDir
    static Path dir;

    static Network net;
    static String sentenceModel;
    static ModelPackage digits;
    static Network.ComputeNode alice;
    static Network.ComputeNode bob;
    /** The {@code job submit --wait} of each mode, running. */
    static final Map<ServedMode, VerityProcess> submissions = new EnumMap<>(ServedMode.class);
    static final Map<ServedMode, Path> inputs = new EnumMap<>(ServedMode.class);

    /** The verification modes {@code bin/verity node run} serves, each with the model its jobs run. */
    enum ServedMode {
        /** The bundled sentence-embedding model on ONNX Runtime; the result carries the node's signature only. */
        NONE(Model.SENTENCE),
        /** The sentence model on ONNX Runtime in the node's enclave, which signs the result. */
        TEE(Model.SENTENCE),
        /** The digits package on the integer engine; settles when its challenge window closes unchallenged. */
        OPTIMISTIC(Model.DIGITS),
        /** The digits package on the integer engine; audited by the other node (this chain audits every one). */
        SAMPLED(Model.DIGITS);

        final Model model;

        ServedMode(Model model) {
            this.model = model;
        }

        /** The account that submits this mode's job. */
        String client() {
            return "client-" + name().toLowerCase(Locale.ROOT);
        }
    }

    enum Model { SENTENCE, DIGITS }

    @BeforeAll
    static void startANetworkOfThreeProcessesAndSubmitAJobInEachMode() throws Exception {
        String[] accounts = Stream.concat(Stream.of("alice", "bob"), Arrays.stream(ServedMode.values()).map(ServedMode::client))
                .toArray(String[]::new);
        DevelopmentEnclave enclave = DevelopmentEnclave.create(dir.resolve("dev-sev-snp"), processes.release());
        net = Network.create(processes, dir, genesis -> {
            genesis.params(Network.params());
            enclave.trustIn(genesis);
        }, accounts);
        sentenceModel = net.installSentenceModel();
        digits = net.installDigits();
        net.startValidator();
        net.registerSentenceModel(sentenceModel);
        net.registerDigits(digits);
        alice = net.computeNode("alice");
        bob = net.computeNode("bob");
        List<String> models = List.of(sentenceModel, digits.id().hex());
        VerityProcess registerAlice = net.launchRegistration(alice, models, "NONE,TEE,OPTIMISTIC,SAMPLED", 2);
        VerityProcess registerBob = net.launchRegistration(bob, models, "NONE,OPTIMISTIC,SAMPLED", 2);
        processes.finish(registerAlice).ok();
        processes.finish(registerBob).ok();
        // Both start side by side, each pulling both models from the validator into its own store; alice registers the
        // enclave it starts.
        VerityProcess a = net.launchNode(alice, net.api(), enclave.nodeOptions());
        VerityProcess b = net.launchNode(bob, net.api());
        Network.awaitRunning(a);
        Network.awaitRunning(b);
        for (ServedMode mode : ServedMode.values()) {
            Path input = dir.resolve("input-" + mode.name().toLowerCase(Locale.ROOT));
            String model = switch (mode.model) {
                case SENTENCE -> {
                    Files.writeString(input, "Verifiable inference, settled by " + mode + ".", StandardCharsets.UTF_8);
                    yield sentenceModel;
                }
                case DIGITS -> {
                    Files.write(input, digitSeven());
                    yield digits.id().hex();
                }
            };
            inputs.put(mode, input);
            submissions.put(mode, net.launchCommand("job-submit-" + mode, net.account(mode.client()), "job", "submit",
                    "--model", model, "--mode", mode.name(), "--input", input.toString(), "--deadline", "200", "--wait",
                    "--timeout", "150", "--json"));
        }
    }

    @Test
    void eachNodePulledTheModelsItServesIntoItsOwnStore() {
        for (Network.ComputeNode n : List.of(alice, bob)) {
            ModelStore store = new ModelStore(n.store());
            assertThat(ModelStore.sha256(store.path(sentenceModel))).as("%s's copy of the sentence model", n.name())
                    .isEqualTo(sentenceModel);
            assertThat(store.companion(sentenceModel, "tokenizer.json")).as("%s's tokenizer", n.name()).isPresent();
            assertThat(ModelStore.sha256(store.path(digits.id().hex(), ".vpkg"))).as("%s's copy of the digits package", n.name())
                    .isEqualTo(digits.id().hex());
        }
    }

    @ParameterizedTest
    @EnumSource(ServedMode.class)
    void aJobSettlesInEveryModeTheNodeProgramServes(ServedMode mode) throws Exception {
        Path input = inputs.get(mode);

        JsonNode r = processes.finish(submissions.get(mode)).ok().json();

        assertThat(r.path("status").asText()).as("%s", r).isEqualTo("SETTLED");
        assertThat(r.path("mode").asText()).isEqualTo(mode.name());
        String node = r.path("node").asText();
        assertThat(node).isIn(alice.id(), bob.id());
        Hash job = Hash.fromHex(r.path("id").asText());
        JobView v = net.sdk().job(job);
        byte[] output = Base64.getDecoder().decode(v.output());
        assertThat(Sha256.digest(output).hex()).as("the output is the one the result committed to").isEqualTo(v.outputHash());
        Map<String, List<EventView>> events = net.sdk().events(EventQuery.forJob(job).withLimit(1000)).stream()
                .collect(Collectors.groupingBy(EventView::type));
        assertThat(events.get("JOB_SETTLED")).as("settled once").hasSize(1);
        assertThat(events).as("never disputed").doesNotContainKey("JOB_DISPUTED");
        switch (mode) {
            case TEE -> {
                assertThat(node).as("the only node with an enclave").isEqualTo(alice.id());
                assertThat(net.sdk().node(dev.verity.core.PublicKey.fromHex(node)).enclaveKey())
                        .as("alice's enclave, registered at its start").isNotNull();
                assertThat(norm(output)).as("the embedding is L2-normalized").isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
            }
            case NONE -> {
                assertThat(r.path("outputSize").asInt()).as("a 384-float sentence embedding").isEqualTo(384 * Float.BYTES);
                assertThat(norm(output)).as("the embedding is L2-normalized").isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
            }
            case OPTIMISTIC -> {
                assertThat(output).as("the integer engine's output, bit for bit").isEqualTo(integerOutput(input));
                assertThat(events).as("posted pending its challenge window").containsKey("RESULT_PENDING");
            }
            case SAMPLED -> {
                assertThat(output).as("the integer engine's output, bit for bit").isEqualTo(integerOutput(input));
                assertThat(events.get("AUDIT_ASSIGNED")).as("drawn for audit").isNotEmpty()
                        .allSatisfy(e -> assertThat(e.node()).as("audited by the other node").isIn(alice.id(), bob.id())
                                .isNotEqualTo(node));
                assertThat(events).as("the audit re-ran the job to the same trace root").containsKey("AUDIT_PASSED");
            }
        }
        NodeView paid = net.sdk().node(dev.verity.core.PublicKey.fromHex(node));
        assertThat(paid.penalized()).as("an honest node loses nothing").isZero();
    }

    /** The digit 7 as the digits model takes it: 8x8 pixels, 64 float32 little-endian in 0..1. */
    private static byte[] digitSeven() {
        String[] rows = {
            "########",
            "      ##",
            "     ## ",
            "    ##  ",
            "   ##   ",
            "  ##    ",
            "  #     ",
            "  #     ",
        };
        ByteBuffer b = ByteBuffer.allocate(64 * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (String row : rows) {
            for (char c : row.toCharArray()) {
                b.putFloat(c == '#' ? 1f : 0f);
            }
        }
        return b.array();
    }

    private static byte[] integerOutput(Path input) throws Exception {
        try (PackageRunner runner = new PackageRunner(digits, EngineOptions.SCALAR, 1)) {
            return runner.runInteger(Files.readAllBytes(input));
        }
    }

    private static double norm(byte[] embedding) {
        ByteBuffer b = ByteBuffer.wrap(embedding).order(ByteOrder.LITTLE_ENDIAN);
        double sum = 0;
        while (b.hasRemaining()) {
            double x = b.getFloat();
            sum += x * x;
        }
        return Math.sqrt(sum);
    }
}
