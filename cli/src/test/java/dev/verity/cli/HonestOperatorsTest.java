package dev.verity.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verity.cli.load.DevnetProcess;
import dev.verity.cli.load.OverloadReport;
import dev.verity.cli.load.OverloadScenario;
import dev.verity.core.Bytes;
import dev.verity.core.Hash;
import dev.verity.devnet.DigitsPackage;
import dev.verity.modelhub.hub.PackageRunner;
import dev.verity.modelhub.train.Digits;
import dev.verity.protocol.Params;
import dev.verity.protocol.VerificationMode;
import dev.verity.sdk.EventQuery;
import dev.verity.sdk.KeyFiles;
import dev.verity.sdk.VerityApiException;
import dev.verity.sdk.VerityClient;
import dev.verity.sdk.Wallet;
import dev.verity.sdk.api.EventView;
import dev.verity.sdk.api.JobView;
import dev.verity.sdk.api.ModelView;
import dev.verity.sdk.api.NodeView;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a devnet running as a separate process (validator and five compute nodes, real HTTP, real RocksDB files), clients
 * try what used to cost honest operators their stake: poisoned inputs for every registered model, then ten times the
 * network's declared capacity for a minute and a burst of 10,000 jobs. After each, no honest node has been penalized
 * or jailed, their total stake has not decreased, every job has ended, and the token supply is unchanged.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HonestOperatorsTest {
    @TempDir
    static Path dir;

    DevnetProcess devnet;
    VerityClient client;
    Wallet wallet;
    ModelView text;
    ModelView digits;

    @BeforeAll
    void startDevnet() throws Exception {
        devnet = DevnetProcess.start(dir, 5, Duration.ofMinutes(4));
        client = new VerityClient(devnet.apiUrl());
        wallet = new Wallet(client, KeyFiles.load(devnet.clientKey()));
        for (ModelView m : client.models()) {
            if (m.name().equals(DigitsPackage.NAME)) {
                digits = m;
            } else {
                text = m;
            }
        }
        assertThat(text.inputSchema().kind()).isEqualTo("UTF8_TEXT");
        assertThat(digits.inputSchema().kind()).isEqualTo("FLOAT32_TENSOR");
    }

    @AfterAll
    void stopDevnet() {
        if (client != null) {
            client.close();
        }
        if (devnet != null) {
            devnet.close();
            assertThat(devnet.isAlive()).as("the devnet process is stopped").isFalse();
        }
    }

    /** Every node's stake, the supply and the event position before an attack. */
    record Snapshot(Map<String, Long> stakes, long supply, long height) {}

    Snapshot snapshot() {
        Map<String, Long> stakes = new LinkedHashMap<>();
        for (NodeView n : client.nodes()) {
            stakes.put(n.id(), n.stake() + n.unbonding().stream().mapToLong(NodeView.UnbondingView::amount).sum());
        }
        return new Snapshot(stakes, client.supply().total(), client.status().height());
    }

    void assertNoHonestNodeHarmed(Snapshot before) {
        Snapshot after = snapshot();
        for (Map.Entry<String, Long> e : before.stakes().entrySet()) {
            assertThat(after.stakes().get(e.getKey())).as("stake of node " + e.getKey()).isGreaterThanOrEqualTo(e.getValue());
        }
        for (NodeView n : client.nodes()) {
            assertThat(n.status()).as("node " + n.id()).isEqualTo("ACTIVE");
        }
        List<String> penalties = new ArrayList<>();
        long height = before.height() + 1;
        int index = 0;
        while (true) {
            List<EventView> page = client.events(EventQuery.all().withFromPosition(height, index).withLimit(1000));
            for (EventView e : page) {
                if (List.of("NODE_PENALIZED", "NODE_SLASHED", "NODE_JAILED").contains(e.type())) {
                    penalties.add(e.type() + " " + e.node() + ": " + e.reason());
                }
                height = e.height();
                index = e.index() + 1;
            }
            if (page.size() < 1000) {
                break;
            }
        }
        assertThat(penalties).as("penalties of honest nodes").isEmpty();
        assertThat(after.supply()).as("token supply").isEqualTo(before.supply());
    }

    static float[] digit(int i) {
        return Digits.split().test().inputs()[i].clone();
    }

    static float[] with(float[] x, int at, float v) {
        x[at] = v;
        return x;
    }

    @Test
    @Order(1)
    void poisonedInputsAreRefusedAtSubmissionOrEndPaidAndNoHonestNodeLosesAnything() throws Exception {
        Snapshot before = snapshot();
        Hash digitsId = Hash.fromHex(digits.id());
        Hash textId = Hash.fromHex(text.id());
        Map<String, byte[]> refusedDigits = new LinkedHashMap<>();
        refusedDigits.put("NaN", PackageRunner.encode(with(digit(0), 3, Float.NaN)));
        refusedDigits.put("signalling NaN", PackageRunner.encode(with(digit(0), 5, Float.intBitsToFloat(0x7F80_0001))));
        refusedDigits.put("+Inf", PackageRunner.encode(with(digit(0), 0, Float.POSITIVE_INFINITY)));
        refusedDigits.put("-Inf", PackageRunner.encode(with(digit(0), 63, Float.NEGATIVE_INFINITY)));
        refusedDigits.put("out of range above", PackageRunner.encode(with(digit(0), 10, 1.5f)));
        refusedDigits.put("out of range below", PackageRunner.encode(with(digit(0), 10, -0.25f)));
        refusedDigits.put("empty", new byte[0]);
        refusedDigits.put("wrong length", PackageRunner.encode(Arrays.copyOf(digit(0), 63)));
        refusedDigits.put("too long", PackageRunner.encode(Arrays.copyOf(digit(0), 65)));
        Map<String, byte[]> refusedText = new LinkedHashMap<>();
        refusedText.put("invalid UTF-8", new byte[] {'h', 'i', (byte) 0xC3, (byte) 0x28});
        refusedText.put("overlong UTF-8", new byte[] {(byte) 0xC0, (byte) 0xAF});
        refusedText.put("UTF-16 surrogate", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80});
        refusedText.put("truncated character", new byte[] {'a', (byte) 0xE2, (byte) 0x82});
        refusedText.put("NUL", new byte[] {'a', 0, 'b'});
        refusedText.put("empty", new byte[0]);
        refusedText.put("over the maximum size", Bytes.utf8("x".repeat((int) text.inputSchema().maxInputBytes() + 1)));

        for (Map.Entry<String, byte[]> e : refusedDigits.entrySet()) {
            for (VerificationMode mode : List.of(VerificationMode.NONE, VerificationMode.OPTIMISTIC, VerificationMode.SAMPLED)) {
                assertRefused(digitsId, e.getValue(), mode, "digits " + e.getKey() + " " + mode);
            }
        }
        for (Map.Entry<String, byte[]> e : refusedText.entrySet()) {
            for (VerificationMode mode : List.of(VerificationMode.NONE, VerificationMode.TEE)) {
                assertRefused(textId, e.getValue(), mode, "text " + e.getKey() + " " + mode);
            }
        }

        // A token-id model (registered here; no node serves it yet): ids outside its vocabulary are refused too.
        Hash tokensId = dev.verity.core.Sha256.digest(Bytes.utf8("token model for poisoned inputs"));
        assertThat(client.awaitReceipt(wallet.registerModel(tokensId, "tokens-16", "u32 token ids", "text", 1_000,
                new dev.verity.protocol.schema.InputSchema.TokenIds(16, 1_000)), Duration.ofSeconds(30)).status()).isEqualTo("INCLUDED");
        assertRefused(tokensId, ids(999, 1_000), VerificationMode.NONE, "token id at the vocabulary size");
        assertRefused(tokensId, ids(-1), VerificationMode.NONE, "token id 2^32-1");
        assertRefused(tokensId, new byte[0], VerificationMode.NONE, "no tokens");
        assertRefused(tokensId, new byte[] {1, 0, 0}, VerificationMode.NONE, "a partial token id");
        assertRefused(tokensId, ids(new int[17]), VerificationMode.NONE, "more tokens than the model takes");

        // Edge inputs the schema accepts run and settle: subnormals, the range's ends, the maximum size.
        List<Hash> accepted = new ArrayList<>();
        float[] edges = digit(1);
        edges[0] = Float.MIN_VALUE; // the smallest subnormal
        edges[1] = 0f;
        edges[2] = -0f;
        edges[3] = 1f;
        for (VerificationMode mode : List.of(VerificationMode.NONE, VerificationMode.OPTIMISTIC, VerificationMode.SAMPLED)) {
            accepted.add(wallet.submitJob(digitsId, PackageRunner.encode(edges), mode, List.of(), Params.BASE_UNITS_PER_TOKEN, 50));
        }
        byte[] longest = Bytes.utf8("é".repeat((int) text.inputSchema().maxInputBytes() / 2));
        for (VerificationMode mode : List.of(VerificationMode.NONE, VerificationMode.TEE)) {
            accepted.add(wallet.submitJob(textId, longest, mode, List.of(), Params.BASE_UNITS_PER_TOKEN, 50));
        }
        for (Hash id : accepted) {
            JobView v = awaitFinal(id, Duration.ofMinutes(2));
            assertThat(v.status()).as("job " + id.hex()).isIn("SETTLED", "FAILED");
        }
        assertNoHonestNodeHarmed(before);
    }

    static byte[] ids(int... ids) {
        ByteBuffer b = ByteBuffer.allocate(4 * ids.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int id : ids) {
            b.putInt(id);
        }
        return b.array();
    }

    void assertRefused(Hash model, byte[] input, VerificationMode mode, String what) {
        long balance = wallet.account().balance();
        assertThatThrownBy(() -> wallet.submitJob(model, input, mode, List.of(), Params.BASE_UNITS_PER_TOKEN, 50))
                .as(what).isInstanceOfSatisfying(VerityApiException.class, e -> {
                    assertThat(e.code()).as(what).isIn("INVALID_INPUT", "OVERSIZED");
                    assertThat(e.httpStatus()).as(what).isEqualTo(400);
                });
        assertThat(wallet.account().balance()).as(what + ": nothing escrowed").isEqualTo(balance);
    }

    JobView awaitFinal(Hash id, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        assertThat(client.awaitReceipt(id, timeout).status()).as("job " + id.hex() + " is in a block").isEqualTo("INCLUDED");
        JobView v = client.job(id);
        while (!JobCommand.FINAL_STATUSES.contains(v.status()) && System.nanoTime() < end) {
            Thread.sleep(200);
            v = client.job(id);
        }
        return v;
    }

    @Test
    @Order(2)
    void tenTimesTheDeclaredCapacityForAMinuteThenTenThousandJobsAtOnceCostHonestNodesNothing() throws Exception {
        Snapshot before = snapshot();
        OverloadReport r = new OverloadScenario(client, KeyFiles.load(devnet.clientKey()), Hash.fromHex(text.id()),
                Hash.fromHex(digits.id()), OverloadScenario.Options.defaults(), line -> { }).run();
        assertThat(r.sustainSeconds()).isGreaterThanOrEqualTo(60);
        assertThat(r.sustainedTarget()).isEqualTo(10 * r.declaredCapacity());
        assertThat(r.submitted()).as("the sustained jobs and the burst were sent").isGreaterThanOrEqualTo(10_000 + r.sustainedTarget());
        assertThat(r.acknowledged()).isGreaterThan(0);
        assertThat(r.unresolved()).as("every acknowledged job ended").isZero();
        assertThat(r.acknowledged()).isEqualTo(r.settled() + r.failed() + r.expired() + r.cancelled() + r.refusedInBlock());
        assertThat(r.settled()).isGreaterThan(0);
        assertThat(r.penaltyEvents()).isZero();
        assertThat(r.jailEvents()).isZero();
        assertThat(r.honestStakeLost()).isZero();
        assertThat(r.supplyAfter()).isEqualTo(r.supplyBefore());
        assertThat(r.queuedAtEnd()).as("the queue drains").isZero();
        assertThat(r.basePricePeak()).as("the backlog raised the base price").isGreaterThan(r.basePriceStart());
        for (NodeView n : client.nodes()) {
            assertThat(n.jobsInFlight()).as("node " + n.id() + " in flight at the end").isZero();
        }
        assertNoHonestNodeHarmed(before);
    }
}
