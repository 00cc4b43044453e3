package dev.verity.validator.consensus.ratis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.core.PrivateKey;
import dev.verity.ledger.Genesis;
import dev.verity.protocol.tx.Payload;
import dev.verity.protocol.tx.SignedTransaction;
import dev.verity.protocol.tx.TransactionBody;
import dev.verity.sdk.VerityClient;
import dev.verity.testkit.TestGenesis;
import dev.verity.validator.ValidatorProcess;
import dev.verity.validator.api.ApiServerConfig;
import dev.verity.validator.storage.Retention;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A validator that was down while the others purged the log it needs catches up from a snapshot one of them serves,
 * checked against the certificate of the snapshot's block, then follows the log again. Four validators, so that three
 * of them certify blocks while the fourth is away.
 */
class SnapshotCatchUpTest {
    private static final PrivateKey ALICE = PrivateKey.deterministic("alice");
    private static final PrivateKey BOB = PrivateKey.deterministic("bob");

    @TempDir
    Path dir;

    @BeforeEach
    void smallLog() {
        System.setProperty(ReplicatedConsensus.SNAPSHOT_EVERY, "30");
        System.setProperty(ReplicatedConsensus.SEGMENT_BYTES, String.valueOf(4 << 10));
    }

    @AfterEach
    void defaults() {
        System.clearProperty(ReplicatedConsensus.SNAPSHOT_EVERY);
        System.clearProperty(ReplicatedConsensus.SEGMENT_BYTES);
    }

    @Test
    void aValidatorBehindThePurgedLogInstallsAVerifiedSnapshotAndFollowsTheLogAgain() throws Exception {
        List<PrivateKey> keys = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            keys.add(PrivateKey.deterministic("val-" + i));
        }
        TestGenesis tg = TestGenesis.chain("snapshot-test").fund(ALICE, 1_000 * TestGenesis.VRT);
        keys.forEach(tg::validator);
        Genesis genesis = tg.build();
        List<ValidatorPeer> peers = new ArrayList<>();
        List<Integer> apiPorts = new ArrayList<>();
        for (PrivateKey k : keys) {
            int api = ReplicatedChainTest.freePort();
            apiPorts.add(api);
            peers.add(new ValidatorPeer(k.publicKey(), "127.0.0.1:" + ReplicatedChainTest.freePort(), "http://127.0.0.1:" + api));
        }
        ValidatorProcess[] nodes = new ValidatorProcess[4];
        try {
            for (int i = 0; i < 4; i++) {
                nodes[i] = start(i, keys, genesis, peers, apiPorts);
            }
            await(() -> nodes[3].chain().finalizedHeight() >= 2, "all four finalize");
            nodes[3].close();
            long stoppedAt = nodes[3 - 1].chain().height();
            VerityClient client = VerityClient.failover(List.of(nodes[0].url(), nodes[1].url(), nodes[2].url()));
            for (int n = 0; n < 10; n++) {
                client.submit(SignedTransaction.sign(new TransactionBody(genesis.chainId(), ALICE.publicKey(), n,
                        new Payload.Transfer(BOB.publicKey(), 1 + n)), ALICE));
            }
            // Enough blocks that the log the stopped validator needs was purged by every other one.
            await(() -> nodes[0].chain().finalizedHeight() >= stoppedAt + 40, "three of four keep finalizing");

            nodes[3] = start(3, keys, genesis, peers, apiPorts);
            long target = nodes[0].chain().height() + 10;
            await(() -> nodes[3].chain().height() >= target, "the fourth catches up");
            // Pruned validators keep 10,000 blocks here, so only a snapshot moves the lowest height kept.
            assertThat(nodes[3].chain().retention().lowestHeight()).as("it started from a snapshot, not the log")
                    .isGreaterThan(stoppedAt + 1);
            await(() -> nodes[3].chain().finalizedHeight() >= target, "finality goes on, the fourth counting");
            for (long h = nodes[3].chain().retention().lowestHeight(); h <= target; h++) {
                assertThat(nodes[3].chain().block(h).orElseThrow().hash()).as("block %d", h)
                        .isEqualTo(nodes[0].chain().block(h).orElseThrow().hash());
            }
            long finalized = nodes[3].chain().finalizedHeight();
            assertThat(nodes[3].chain().certificate(finalized).orElseThrow().check(nodes[3].chain().signingSet(finalized)
                    .orElseThrow())).isEmpty();
        } finally {
            for (ValidatorProcess v : nodes) {
                if (v != null) {
                    v.close();
                }
            }
        }
    }

    private ValidatorProcess start(int i, List<PrivateKey> keys, Genesis genesis, List<ValidatorPeer> peers, List<Integer> apiPorts) {
        return new ValidatorProcess(dir.resolve("v" + i), keys.get(i), genesis, ApiServerConfig.loopback(apiPorts.get(i)), 100, null,
                false, 10_000, peers);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        Await.until(condition, Duration.ofSeconds(90), what);
    }
}
