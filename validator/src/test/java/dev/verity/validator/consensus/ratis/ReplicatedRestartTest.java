package dev.verity.validator.consensus.ratis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.ledger.Genesis;
import dev.verity.protocol.tx.Payload;
import dev.verity.protocol.tx.SignedTransaction;
import dev.verity.protocol.tx.TransactionBody;
import dev.verity.sdk.VerityApiException;
import dev.verity.sdk.VerityClient;
import dev.verity.sdk.api.TransactionReceipt;
import dev.verity.testkit.TestGenesis;
import dev.verity.validator.ValidatorProcess;
import dev.verity.validator.api.ApiServerConfig;
import dev.verity.validator.storage.Retention;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A validator of a replicated chain stopped and started again on its data directory: its store holds the log position
 * it applied up to, and it goes on from there with the others, catching up on what the log committed meanwhile.
 */
class ReplicatedRestartTest {
    private static final PrivateKey ALICE = PrivateKey.deterministic("alice");
    private static final PrivateKey BOB = PrivateKey.deterministic("bob");

    @TempDir
    Path dir;

    @Test
    void aValidatorRestartedOnItsDataDirectoryCatchesUpWithTheLog() throws Exception {
        List<PrivateKey> keys = List.of(PrivateKey.deterministic("val-1"), PrivateKey.deterministic("val-2"),
                PrivateKey.deterministic("val-3"));
        TestGenesis tg = TestGenesis.chain("replicated-restart-test").fund(ALICE, 1_000 * TestGenesis.VRT);
        keys.forEach(tg::validator);
        Genesis genesis = tg.build();
        List<ValidatorPeer> peers = new ArrayList<>();
        for (PrivateKey k : keys) {
            peers.add(new ValidatorPeer(k.publicKey(), "127.0.0.1:" + ReplicatedChainTest.freePort()));
        }
        List<ValidatorProcess> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < keys.size(); i++) {
                nodes.add(start(i, keys, genesis, peers));
            }
            long nonce = 0;
            List<Hash> sent = new ArrayList<>();
            for (int n = 0; n < 3; n++) {
                sent.add(transfer(nodes.get(0), genesis, nonce++));
            }
            awaitIncluded(nodes.get(2), sent);
            awaitFinalized(nodes, nodes.get(0).chain().height() + 1);

            // Validator 2 stops; the two others (a majority) go on without it.
            nodes.get(2).close();
            for (int n = 0; n < 3; n++) {
                sent.add(transfer(nodes.get(0), genesis, nonce++));
            }
            awaitIncluded(nodes.get(0), sent);

            // Started again on its data directory, it resumes the log after what its store holds and catches up.
            nodes.set(2, start(2, keys, genesis, peers));
            long target = nodes.get(0).chain().height() + 2;
            awaitFinalized(nodes, target);
            for (long h = 1; h <= target; h++) {
                Hash hash = nodes.get(0).chain().block(h).orElseThrow().hash();
                for (ValidatorProcess v : nodes) {
                    assertThat(v.chain().block(h).orElseThrow().hash()).as("block %d on %s", h, v.url()).isEqualTo(hash);
                }
            }
            awaitIncluded(nodes.get(2), sent);
            // And it takes part again: a transaction sent through it is included.
            Hash more = transfer(nodes.get(2), genesis, nonce++);
            awaitIncluded(nodes.get(1), List.of(more));
        } finally {
            nodes.forEach(ValidatorProcess::close);
        }
    }

    private ValidatorProcess start(int i, List<PrivateKey> keys, Genesis genesis, List<ValidatorPeer> peers) {
        return new ValidatorProcess(dir.resolve("v" + i), keys.get(i), genesis, ApiServerConfig.loopback(0), 200, null, false,
                Retention.ARCHIVE, peers);
    }

    private static Hash transfer(ValidatorProcess via, Genesis genesis, long nonce) {
        SignedTransaction tx = SignedTransaction.sign(new TransactionBody(genesis.chainId(), ALICE.publicKey(), nonce,
                new Payload.Transfer(BOB.publicKey(), 1)), ALICE);
        try (VerityClient client = new VerityClient(via.url())) {
            for (int attempt = 1; ; attempt++) {
                try {
                    return Hash.fromHex(client.submit(tx).hash());
                } catch (VerityApiException e) {
                    // A busy machine can read a body late enough for the API's minimum data rate to answer 408.
                    if (!"REQUEST_TIMEOUT".equals(e.code()) || attempt == 5) {
                        throw e;
                    }
                }
            }
        }
    }

    private static void awaitIncluded(ValidatorProcess on, List<Hash> txs) {
        try (VerityClient client = new VerityClient(on.url())) {
            for (Hash h : txs) {
                assertThat(client.awaitReceipt(h, Duration.ofSeconds(30)).status()).as("%s on %s", h.hex(), on.url())
                        .isEqualTo(TransactionReceipt.INCLUDED);
            }
        }
    }

    private static void awaitFinalized(List<ValidatorProcess> nodes, long height) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (nodes.stream().anyMatch(v -> v.chain().finalizedHeight() < height) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        for (ValidatorProcess v : nodes) {
            assertThat(v.chain().finalizedHeight()).as("finalized height on %s (head %d)", v.url(), v.chain().height())
                    .isGreaterThanOrEqualTo(height);
        }
    }
}
