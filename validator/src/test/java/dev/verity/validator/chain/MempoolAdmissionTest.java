package dev.verity.validator.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.verity.core.Bytes;
import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.core.Sha256;
import dev.verity.ledger.Genesis;
import dev.verity.ledger.RejectCode;
import dev.verity.ledger.TransactionRejectedException;
import dev.verity.protocol.Params;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.governance.Council;
import dev.verity.protocol.tx.Payload;
import dev.verity.protocol.tx.SignedTransaction;
import dev.verity.protocol.tx.TransactionBody;
import dev.verity.sdk.api.StatusView;
import dev.verity.testkit.TestGenesis;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Admission counts what the sender's pending transactions already take from its balance: a real
 * {@link ChainNode} on RocksDB in a temporary directory, blocks produced by hand.
 */
class MempoolAdmissionTest {
    static final String CHAIN_ID = "verity-mempool-test";
    static final PrivateKey VALIDATOR = PrivateKey.deterministic("mempool-validator");
    static final PrivateKey OWNER = PrivateKey.deterministic("mempool-model-owner");
    static final PrivateKey CLIENT = PrivateKey.deterministic("mempool-client");
    static final PrivateKey PAYEE = PrivateKey.deterministic("mempool-payee");
    static final long CLIENT_BALANCE = 1_000_000;
    static final long SIXTY_PERCENT = CLIENT_BALANCE * 6 / 10;
    static final Hash MODEL = Sha256.digest(Bytes.utf8("mempool test model"));

    @TempDir
    Path dir;
    NodeConfig config;
    ChainNode chain;

    static Genesis genesis() {
        return TestGenesis.chain(CHAIN_ID).fund(OWNER, 1_000 * TestGenesis.VRT).fund(CLIENT, CLIENT_BALANCE).validator(VALIDATOR).build();
    }

    static SignedTransaction sign(PrivateKey key, long nonce, Payload payload) {
        return SignedTransaction.sign(new TransactionBody(CHAIN_ID, key.publicKey(), nonce, payload), key);
    }

    static SignedTransaction job(long nonce, long maxFee, String input) {
        return sign(CLIENT, nonce, new Payload.SubmitJob(MODEL, Bytes.utf8(input), VerificationMode.NONE, List.of(), maxFee, 10));
    }

    static SignedTransaction transfer(long nonce, long amount) {
        return sign(CLIENT, nonce, new Payload.Transfer(PAYEE.publicKey(), amount));
    }

    @BeforeEach
    void open() {
        config = NodeConfig.defaults(dir.resolve("data"));
        chain = ChainNode.open(config, genesis(), VALIDATOR);
        chain.submit(sign(OWNER, 0, new Payload.RegisterModel(MODEL, "mempool-model", "bytes", "bytes", 1_000_000)).encoded());
        chain.produceBlock();
    }

    @AfterEach
    void close() {
        chain.close();
    }

    private void reopen() {
        chain.close();
        chain = ChainNode.open(config, VALIDATOR);
    }

    private long balance() {
        return chain.read(s -> s.account(CLIENT.publicKey()).balance());
    }

    private TransactionRejectedException refusedAtSubmit(SignedTransaction tx) {
        TransactionRejectedException e = catchThrowableOfType(TransactionRejectedException.class, () -> chain.submit(tx.encoded()));
        assertThat(e).as("refused at submit: %s", tx).isNotNull();
        return e;
    }

    @Test
    void threeJobsEachEscrowingSixtyPercentOfOneBalance() {
        SignedTransaction first = job(0, SIXTY_PERCENT, "first");
        // A client that sends back to back asks for the next nonce each time: the second is refused, so the third
        // carries the same nonce as the second.
        SignedTransaction second = job(1, SIXTY_PERCENT, "second");
        SignedTransaction third = job(1, SIXTY_PERCENT, "third");

        assertThat(chain.submit(first.encoded())).isEqualTo(first.hash());
        StatusView before = chain.status();
        for (SignedTransaction tx : List.of(second, third)) {
            TransactionRejectedException e = refusedAtSubmit(tx);
            assertThat(e.code()).isEqualTo(RejectCode.INSUFFICIENT_FUNDS);
            assertThat(e.getMessage()).contains("takes " + SIXTY_PERCENT + " base units",
                    "only " + (CLIENT_BALANCE - SIXTY_PERCENT) + " of the balance",
                    SIXTY_PERCENT + " base units are already held by 1 pending transaction of this account");
            assertThat(chain.receipt(tx.hash()).status()).as("a refusal at submit is answered, not stored").isEqualTo("UNKNOWN");
        }
        StatusView after = chain.status();
        assertThat(after.stateRoot()).as("the refusals changed no state").isEqualTo(before.stateRoot());
        assertThat(after.mempoolSize()).isEqualTo(1);
        assertThat(chain.nextNonce(CLIENT.publicKey())).isEqualTo(1);
        assertThat(chain.receipt(first.hash()).status()).isEqualTo("PENDING");
        assertThat(balance()).isEqualTo(CLIENT_BALANCE);

        long height = chain.produceBlock().height();
        assertThat(chain.receipt(first.hash()).status()).isEqualTo("INCLUDED");
        assertThat(chain.receipt(first.hash()).height()).isEqualTo(height);
        assertThat(chain.block(height).orElseThrow().transactions()).extracting(SignedTransaction::hash)
                .containsExactly(first.hash());
        assertThat(balance()).isEqualTo(CLIENT_BALANCE - SIXTY_PERCENT);
        assertThat(chain.status().mempoolSize()).isZero();
    }

    @Test
    void aTransferAfterAPendingJobThatTogetherOverdrawIsRefused() {
        long job = 700_000;
        SignedTransaction pendingJob = job(0, job, "a job");
        chain.submit(pendingJob.encoded());

        TransactionRejectedException e = refusedAtSubmit(transfer(1, CLIENT_BALANCE - job + 1));
        assertThat(e.code()).isEqualTo(RejectCode.INSUFFICIENT_FUNDS);
        assertThat(e.getMessage()).contains(job + " base units are already held by 1 pending transaction of this account");
        assertThat(chain.status().mempoolSize()).isEqualTo(1);

        SignedTransaction rest = transfer(1, CLIENT_BALANCE - job);
        chain.submit(rest.encoded());
        e = refusedAtSubmit(transfer(2, 1));
        assertThat(e.getMessage()).as("a third finds nothing left")
                .contains(CLIENT_BALANCE + " base units are already held by 2 pending transactions of this account");
        SignedTransaction free = sign(CLIENT, 2, new Payload.RegisterModel(Sha256.digest(Bytes.utf8("another")), "another",
                "bytes", "bytes", 1));
        chain.submit(free.encoded());

        // What the pending transactions hold is counted again from the stored mempool after a restart.
        reopen();
        assertThat(chain.status().mempoolSize()).isEqualTo(3);
        e = refusedAtSubmit(transfer(3, 1));
        assertThat(e.getMessage()).contains(CLIENT_BALANCE + " base units are already held by 2 pending transactions");

        long height = chain.produceBlock().height();
        for (SignedTransaction tx : List.of(pendingJob, rest, free)) {
            assertThat(chain.receipt(tx.hash()).status()).as("%s", tx).isEqualTo("INCLUDED");
            assertThat(chain.receipt(tx.hash()).height()).isEqualTo(height);
        }
        assertThat(balance()).isZero();

        // With the block in, nothing is held any more: what the balance allows is admitted again.
        assertThat(chain.status().mempoolSize()).isZero();
        e = refusedAtSubmit(transfer(3, 1));
        assertThat(e.getMessage()).as("an empty balance, with nothing pending").doesNotContain("pending");
    }

    @Test
    void creditsOfPendingTransactionsAreNotCounted() {
        // A pending transfer to the client does not let it spend what it would receive before the transfer is in.
        chain.submit(sign(OWNER, 1, new Payload.Transfer(CLIENT.publicKey(), 500_000)).encoded());
        TransactionRejectedException e = refusedAtSubmit(transfer(0, CLIENT_BALANCE + 1));
        assertThat(e.code()).isEqualTo(RejectCode.INSUFFICIENT_FUNDS);
        chain.produceBlock();
        chain.submit(transfer(0, CLIENT_BALANCE + 1).encoded());
    }
}
