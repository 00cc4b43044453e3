package dev.verity.validator.consensus.ratis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.ledger.Genesis;
import dev.verity.protocol.tx.Payload;
import dev.verity.protocol.tx.SignedTransaction;
import dev.verity.protocol.tx.TransactionBody;
import dev.verity.testkit.TestGenesis;
import dev.verity.validator.chain.ChainNode;
import dev.verity.validator.chain.NodeConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replicated validator takes transactions only through the log, from the moment its API can answer: the API starts
 * before the log does ({@code ValidatorProcess}), and a transaction admitted straight into this validator's mempool in
 * between would be acknowledged, yet never reach the log or another validator.
 */
class ReplicatedSubmissionTest {
    private static final PrivateKey ALICE = PrivateKey.deterministic("alice");
    private static final PrivateKey BOB = PrivateKey.deterministic("bob");

    @TempDir
    Path dir;

    @Test
    void aTransactionSubmittedBeforeTheLogStartsIsNotAdmittedBesideTheLog() throws Exception {
        List<PrivateKey> keys = List.of(PrivateKey.deterministic("val-1"), PrivateKey.deterministic("val-2"),
                PrivateKey.deterministic("val-3"));
        TestGenesis tg = TestGenesis.chain("replicated-submission-test").fund(ALICE, 1_000 * TestGenesis.VRT);
        keys.forEach(tg::validator);
        Genesis genesis = tg.build();
        List<ValidatorPeer> peers = new ArrayList<>();
        for (PrivateKey k : keys) {
            peers.add(new ValidatorPeer(k.publicKey(), "127.0.0.1:" + ReplicatedChainTest.freePort()));
        }
        ChainNode chain = ChainNode.open(NodeConfig.defaults(dir.resolve("data")), genesis, keys.get(0));
        ReplicatedConsensus consensus = new ReplicatedConsensus(chain, peers, dir.resolve("raft"), 200);
        boolean closed = false;
        try {
            // Made, not started: no log runs yet (and no other validator), as between the API's start and the log's.
            SignedTransaction tx = SignedTransaction.sign(new TransactionBody(genesis.chainId(), ALICE.publicKey(), 0,
                    new Payload.Transfer(BOB.publicKey(), 1)), ALICE);
            CompletableFuture<Hash> submitted = CompletableFuture.supplyAsync(() -> chain.submit(tx.encoded()));
            Thread.sleep(1_000);
            assertThat(chain.receipt(tx.hash()).status()).as("the transaction's receipt on this validator").isEqualTo("UNKNOWN");
            assertThat(submitted).as("not acknowledged while no log takes it").isNotDone();
            consensus.close();
            closed = true;
            submitted.handle((h, e) -> h).get(30, TimeUnit.SECONDS);
            assertThat(submitted).isCompletedExceptionally();
            assertThat(chain.receipt(tx.hash()).status()).isEqualTo("UNKNOWN");
        } finally {
            if (!closed) {
                consensus.close();
            }
            chain.close();
        }
    }
}
