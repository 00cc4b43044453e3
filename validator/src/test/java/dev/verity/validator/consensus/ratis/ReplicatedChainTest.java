package dev.verity.validator.consensus.ratis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.ledger.Genesis;
import dev.verity.protocol.consensus.FinalityCertificate;
import dev.verity.protocol.tx.Payload;
import dev.verity.protocol.tx.SignedTransaction;
import dev.verity.protocol.tx.TransactionBody;
import dev.verity.sdk.VerityClient;
import dev.verity.sdk.api.TransactionReceipt;
import dev.verity.testkit.TestGenesis;
import dev.verity.validator.ValidatorProcess;
import dev.verity.validator.api.ApiServerConfig;
import dev.verity.validator.storage.Retention;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three validators in one JVM over real Ratis on loopback: one chain, every block certified, writes through any of them. */
class ReplicatedChainTest {
    private static final PrivateKey ALICE = PrivateKey.deterministic("alice");
    private static final PrivateKey BOB = PrivateKey.deterministic("bob");

    @TempDir
    Path dir;

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void threeValidatorsAgreeOnEveryBlockAndCertifyIt() throws Exception {
        List<PrivateKey> keys = List.of(PrivateKey.deterministic("val-1"), PrivateKey.deterministic("val-2"),
                PrivateKey.deterministic("val-3"));
        TestGenesis tg = TestGenesis.chain("replicated-test").fund(ALICE, 1_000 * TestGenesis.VRT);
        keys.forEach(tg::validator);
        Genesis genesis = tg.build();
        List<ValidatorPeer> peers = new ArrayList<>();
        for (PrivateKey k : keys) {
            peers.add(new ValidatorPeer(k.publicKey(), "127.0.0.1:" + freePort()));
        }
        List<ValidatorProcess> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < keys.size(); i++) {
                nodes.add(new ValidatorProcess(dir.resolve("v" + i), keys.get(i), genesis, ApiServerConfig.loopback(0), 200, null,
                        false, Retention.ARCHIVE, peers));
            }
            List<Hash> sent = new ArrayList<>();
            for (int n = 0; n < 6; n++) {
                ValidatorProcess via = nodes.get(n % nodes.size());
                SignedTransaction tx = SignedTransaction.sign(new TransactionBody(genesis.chainId(), ALICE.publicKey(), n,
                        new Payload.Transfer(BOB.publicKey(), 1 + n)), ALICE);
                VerityClient viaClient = new VerityClient(via.url());
                TransactionReceipt r = viaClient.submit(tx);
                sent.add(Hash.fromHex(r.hash()));
                assertThat(viaClient.receipt(Hash.fromHex(r.hash())).status()).as("read your writes on the validator written to")
                        .isIn(TransactionReceipt.PENDING, TransactionReceipt.INCLUDED);
            }
            VerityClient any = new VerityClient(nodes.get(2).url());
            for (Hash h : sent) {
                assertThat(any.awaitReceipt(h, Duration.ofSeconds(30)).status()).isEqualTo(TransactionReceipt.INCLUDED);
            }
            long target = nodes.get(0).chain().height() + 2;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (nodes.stream().anyMatch(v -> v.chain().finalizedHeight() < target) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            for (ValidatorProcess v : nodes) {
                assertThat(v.chain().finalizedHeight()).as("finalized on %s", v.url()).isGreaterThanOrEqualTo(target);
            }
            for (long h = 1; h <= target; h++) {
                Hash hash = nodes.get(0).chain().block(h).orElseThrow().hash();
                for (ValidatorProcess v : nodes) {
                    assertThat(v.chain().block(h).orElseThrow().hash()).as("block %d on %s", h, v.url()).isEqualTo(hash);
                    FinalityCertificate cert = v.chain().certificate(h).orElseThrow();
                    assertThat(cert.vote().blockHash()).isEqualTo(hash);
                    assertThat(cert.check(v.chain().signingSet(h).orElseThrow())).isEmpty();
                    assertThat(cert.signers().size()).isGreaterThanOrEqualTo(3);
                }
            }
        } finally {
            nodes.forEach(ValidatorProcess::close);
        }
    }
}
