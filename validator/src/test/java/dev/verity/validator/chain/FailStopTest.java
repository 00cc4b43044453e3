package dev.verity.validator.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.ledger.Genesis;
import dev.verity.protocol.Params;
import dev.verity.protocol.governance.Council;
import dev.verity.protocol.tx.Payload;
import dev.verity.protocol.tx.SignedTransaction;
import dev.verity.protocol.tx.TransactionBody;
import dev.verity.testkit.TestGenesis;
import dev.verity.validator.consensus.SingleValidatorConsensus;
import dev.verity.validator.storage.DiskFull;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A block commit that fails as on a full disk halts the node at once (no transaction acknowledged, no uncommitted
 * state served, no further block, the failure reported), and the node reopened on the same directory continues from
 * its last committed block with every acknowledged transaction.
 */
class FailStopTest {
    static final String CHAIN_ID = "verity-failstop-test";
    static final PrivateKey VALIDATOR = PrivateKey.deterministic("failstop-validator");
    static final PrivateKey CLIENT = PrivateKey.deterministic("failstop-client");
    static final PrivateKey PAYEE = PrivateKey.deterministic("failstop-payee");

    @TempDir
    Path dir;

    static Genesis genesis() {
        return TestGenesis.chain(CHAIN_ID).fund(CLIENT, 1_000 * TestGenesis.VRT).validator(VALIDATOR).build();
    }

    static SignedTransaction transfer(long nonce) {
        return SignedTransaction.sign(new TransactionBody(CHAIN_ID, CLIENT.publicKey(), nonce,
                new Payload.Transfer(PAYEE.publicKey(), 1_000 + nonce)), CLIENT);
    }

    @Test
    void aFailedCommitHaltsTheNodeAndARestartLosesNothingAcknowledged() {
        NodeConfig config = NodeConfig.defaults(dir.resolve("data"));
        DiskFull disk = DiskFull.atCommit(3); // 1: genesis, 2: block 1, 3: block 2 fails
        List<Hash> acknowledged = new ArrayList<>();
        List<String> halts = new CopyOnWriteArrayList<>();
        long nonce = 0;
        try (ChainNode chain = ChainNode.open(config, genesis(), VALIDATOR, false, disk)) {
            chain.onHalt(halts::add);
            for (int i = 0; i < 3; i++) acknowledged.add(chain.submit(transfer(nonce++).encoded()));
            chain.produceBlock();
            assertThat(chain.height()).isEqualTo(1);
            for (int i = 0; i < 4; i++) acknowledged.add(chain.submit(transfer(nonce++).encoded()));
            assertThat(chain.isHealthy()).isTrue();
            assertThat(chain.failure()).isEmpty();

            assertThatThrownBy(chain::produceBlock).isInstanceOf(NodeHaltedException.class)
                    .hasMessageContaining("could not commit block 2").hasMessageContaining("No space left on device");

            assertThat(disk.full()).isTrue();
            assertThat(chain.isHealthy()).isFalse();
            assertThat(chain.failure()).hasValueSatisfying(f -> assertThat(f).contains("block 2").contains(config.dataDir().toString()));
            assertThat(halts).hasSize(1);
            long frozen = chain.height();
            assertThat(frozen).isEqualTo(1);
            SignedTransaction late = transfer(nonce);
            assertThatThrownBy(() -> chain.submit(late.encoded())).isInstanceOf(NodeHaltedException.class)
                    .hasMessageContaining("restarted");
            assertThatThrownBy(() -> chain.read(s -> s.account(PAYEE.publicKey()).balance()))
                    .isInstanceOf(NodeHaltedException.class);
            assertThatThrownBy(chain::status).isInstanceOf(NodeHaltedException.class);
            assertThatThrownBy(() -> chain.nextNonce(CLIENT.publicKey())).isInstanceOf(NodeHaltedException.class);
            assertThatThrownBy(chain::produceBlock).isInstanceOf(NodeHaltedException.class);
            assertThat(chain.height()).isEqualTo(frozen);
            // What comes from the store is committed: block 2 is not there, block 1 is.
            assertThat(chain.block(2)).isEmpty();
            assertThat(chain.block(1)).isPresent();
            // A listener added after the halt hears of it at once.
            List<String> late2 = new ArrayList<>();
            chain.onHalt(late2::add);
            assertThat(late2).hasSize(1);
        }

        try (ChainNode chain = ChainNode.open(config, VALIDATOR)) {
            assertThat(chain.isHealthy()).isTrue();
            assertThat(chain.height()).as("restarts from the last committed block").isEqualTo(1);
            for (Hash h : acknowledged.subList(3, acknowledged.size())) {
                assertThat(chain.receipt(h).status()).as("acknowledged %s", h).isEqualTo("PENDING");
            }
            acknowledged.add(chain.submit(transfer(nonce).encoded()));
            chain.produceBlock();
            assertThat(chain.height()).isEqualTo(2);
            for (Hash h : acknowledged) {
                assertThat(chain.receipt(h).status()).as("acknowledged %s", h).isEqualTo("INCLUDED");
            }
            assertThat(chain.<Long>read(s -> s.account(CLIENT.publicKey()).nonce())).isEqualTo(nonce + 1);
        }
        ChainVerifier.Report report = ChainVerifier.verify(config.dataDir());
        assertThat(report.problem()).isNull();
    }

    @Test
    void aFailedMempoolWriteHaltsTooAndAcknowledgesNothing() {
        NodeConfig config = NodeConfig.defaults(dir.resolve("data"));
        DiskFull disk = DiskFull.atCommit(Integer.MAX_VALUE);
        SignedTransaction tx = transfer(0);
        try (ChainNode chain = ChainNode.open(config, genesis(), VALIDATOR, false, disk)) {
            disk.fill();
            assertThatThrownBy(() -> chain.submit(tx.encoded())).isInstanceOf(NodeHaltedException.class)
                    .hasMessageContaining("could not store transaction " + tx.hash().hex());
            assertThat(chain.failure()).isPresent();
            assertThatThrownBy(chain::produceBlock).isInstanceOf(NodeHaltedException.class);
            assertThat(chain.height()).isZero();
        }
        try (ChainNode chain = ChainNode.open(config, VALIDATOR)) {
            assertThat(chain.height()).isZero();
            assertThat(chain.status().mempoolSize()).isZero();
            assertThat(chain.receipt(tx.hash()).status()).isEqualTo("UNKNOWN");
        }
    }

    @Test
    void blockProductionStopsAndTellsItsFailureHandler() throws Exception {
        NodeConfig config = NodeConfig.defaults(dir.resolve("data"));
        try (ChainNode chain = ChainNode.open(config, genesis(), VALIDATOR, false, DiskFull.atCommit(3));
             SingleValidatorConsensus consensus = new SingleValidatorConsensus(chain, 5)) {
            CompletableFuture<RuntimeException> stopped = new CompletableFuture<>();
            consensus.onFailure(stopped::complete);
            consensus.start();
            RuntimeException e = stopped.get(10, TimeUnit.SECONDS);
            assertThat(e).isInstanceOf(NodeHaltedException.class);
            assertThat(consensus.failed()).isTrue();
            assertThat(chain.height()).isEqualTo(1);
            assertThat(chain.failure()).isPresent();
        }
    }
}
