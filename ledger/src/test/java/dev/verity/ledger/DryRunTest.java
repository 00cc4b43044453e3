package dev.verity.ledger;

import static dev.verity.ledger.TestChain.ALICE;
import static dev.verity.ledger.TestChain.BOB;
import static dev.verity.ledger.TestChain.INITIAL_BALANCE;
import static dev.verity.ledger.TestChain.NODE_1;
import static dev.verity.ledger.TestChain.VRT;
import static dev.verity.ledger.TestChain.modelHash;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.verity.core.Bytes;
import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.ledger.state.Account;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.tx.Payload;
import dev.verity.protocol.tx.SignedTransaction;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The mempool's dry run: what a transaction takes from its sender's balance, and admission after what the
 * sender's pending transactions already hold. A dry run never changes the state.
 */
class DryRunTest {
    static final Hash MODEL = modelHash("dry-run model");
    static final long COMPUTE_UNITS = 1_000_000_000L;
    static final long STAKE = 2_000 * VRT;

    TestChain chain;

    @BeforeEach
    void setUp() {
        chain = new TestChain();
        chain.block(chain.registerModel(ALICE, MODEL, "dry-run-model", COMPUTE_UNITS));
    }

    /** Signs {@code payload} as {@code key}'s next transaction after {@code pending} pending ones. */
    private SignedTransaction next(PrivateKey key, int pending, Payload payload) {
        return TestChain.signWithNonce(key, chain.ledger.state().account(key.publicKey()).nonce() + pending, payload);
    }

    private long dryRun(SignedTransaction tx) {
        return chain.ledger.dryRun(tx, chain.nextContext(), tx.body().nonce());
    }

    private Payload.SubmitJob job(long maxFee, String input) {
        return new Payload.SubmitJob(MODEL, Bytes.utf8(input), VerificationMode.NONE, List.of(), maxFee,
                TestChain.DEFAULT_DEADLINE_BLOCKS);
    }

    @Test
    void debitIsWhatTheTransactionTakesFromTheSendersBalance() {
        Hash root = chain.ledger.state().root();
        Account alice = chain.ledger.state().account(ALICE.publicKey());

        assertThat(dryRun(next(ALICE, 0, new Payload.Transfer(BOB.publicKey(), 5 * VRT)))).as("transfer").isEqualTo(5 * VRT);
        assertThat(dryRun(next(ALICE, 0, job(12_345, "a job")))).as("job: its max fee").isEqualTo(12_345);
        assertThat(dryRun(next(NODE_1, 0, new Payload.RegisterNode(STAKE, List.of(MODEL), List.of(VerificationMode.NONE),
                TestChain.hardware())))).as("registration: its stake").isEqualTo(STAKE);
        assertThat(dryRun(next(ALICE, 0, new Payload.RegisterModel(modelHash("another"), "another", "text", "text", 1))))
                .as("a model registration takes nothing").isZero();
        assertThat(dryRun(next(ALICE, 0, new Payload.Transfer(ALICE.publicKey(), 5 * VRT))))
                .as("a transfer to oneself takes nothing in the end").isZero();
        assertThat(chain.ledger.state().root()).as("dry runs changed nothing").isEqualTo(root);
        assertThat(chain.ledger.state().account(ALICE.publicKey())).isEqualTo(alice);

        chain.block(chain.registerNode(NODE_1, STAKE, List.of(MODEL), VerificationMode.NONE));
        assertThat(dryRun(next(NODE_1, 0, new Payload.Bond(7 * VRT)))).as("bond").isEqualTo(7 * VRT);
        assertThat(dryRun(next(NODE_1, 0, new Payload.Unbond(7 * VRT)))).as("unbonding takes nothing from the balance").isZero();
    }

    @Test
    void aTransactionThatFitsOnlyWithoutThePendingOnesIsRefusedNamingWhatTheyHold() {
        long sixtyPercent = INITIAL_BALANCE / 10 * 6;
        Hash root = chain.ledger.state().root();
        SignedTransaction first = next(ALICE, 0, job(sixtyPercent, "first"));
        long held = chain.ledger.dryRun(first, chain.nextContext(), first.body().nonce(), 0, 0);
        assertThat(held).isEqualTo(sixtyPercent);

        SignedTransaction second = next(ALICE, 1, job(sixtyPercent, "second"));
        assertThat(chain.ledger.dryRun(second, chain.nextContext(), 1 + chain.ledger.state().account(ALICE.publicKey()).nonce()))
                .as("alone, it applies").isEqualTo(sixtyPercent);
        TransactionRejectedException e = catchThrowableOfType(TransactionRejectedException.class,
                () -> chain.ledger.dryRun(second, chain.nextContext(), second.body().nonce(), held, 1));
        assertThat(e.code()).isEqualTo(RejectCode.INSUFFICIENT_FUNDS);
        assertThat(e.getMessage()).contains("takes " + sixtyPercent + " base units", "only " + (INITIAL_BALANCE - sixtyPercent)
                + " of the balance", sixtyPercent + " base units are already held by 1 pending transaction of this account");

        SignedTransaction transfer = next(ALICE, 1, new Payload.Transfer(BOB.publicKey(), INITIAL_BALANCE - sixtyPercent + 1));
        e = catchThrowableOfType(TransactionRejectedException.class,
                () -> chain.ledger.dryRun(transfer, chain.nextContext(), transfer.body().nonce(), held, 1));
        assertThat(e.code()).isEqualTo(RejectCode.INSUFFICIENT_FUNDS);
        assertThat(e.getMessage()).contains("already held by 1 pending transaction");
        SignedTransaction rest = next(ALICE, 1, new Payload.Transfer(BOB.publicKey(), INITIAL_BALANCE - sixtyPercent));
        assertThat(chain.ledger.dryRun(rest, chain.nextContext(), rest.body().nonce(), held, 1))
                .as("exactly what is left fits").isEqualTo(INITIAL_BALANCE - sixtyPercent);

        assertThat(chain.ledger.state().root()).as("dry runs changed nothing").isEqualTo(root);
        assertThat(chain.ledger.state().account(ALICE.publicKey()).balance()).isEqualTo(INITIAL_BALANCE);
    }

    @Test
    void aRefusalTheTransactionMeetsOnItsOwnIsReportedAsIs() {
        long held = 10 * VRT;
        SignedTransaction tooMuch = next(ALICE, 1, new Payload.Transfer(BOB.publicKey(), INITIAL_BALANCE + 1));
        TransactionRejectedException e = catchThrowableOfType(TransactionRejectedException.class,
                () -> chain.ledger.dryRun(tooMuch, chain.nextContext(), tooMuch.body().nonce(), held, 2));
        assertThat(e.code()).isEqualTo(RejectCode.INSUFFICIENT_FUNDS);
        assertThat(e.getMessage()).contains("the balance of " + ALICE.publicKey().hex() + " is " + INITIAL_BALANCE)
                .doesNotContain("pending");

        SignedTransaction notANode = next(ALICE, 1, new Payload.Bond(VRT));
        e = catchThrowableOfType(TransactionRejectedException.class,
                () -> chain.ledger.dryRun(notANode, chain.nextContext(), notANode.body().nonce(), held, 2));
        assertThat(e.code()).isEqualTo(RejectCode.UNKNOWN_NODE);
    }

    @Test
    void aBalanceBelowWhatThePendingTransactionsHoldRefusesEvenASmallDebit() {
        SignedTransaction small = next(ALICE, 3, new Payload.Transfer(BOB.publicKey(), 1));
        TransactionRejectedException e = catchThrowableOfType(TransactionRejectedException.class,
                () -> chain.ledger.dryRun(small, chain.nextContext(), small.body().nonce(), INITIAL_BALANCE + 1, 3));
        assertThat(e.code()).isEqualTo(RejectCode.INSUFFICIENT_FUNDS);
        assertThat(e.getMessage()).contains("is " + INITIAL_BALANCE + " base units",
                (INITIAL_BALANCE + 1) + " base units are already held by 3 pending transactions of this account");
        assertThat(chain.ledger.state().account(ALICE.publicKey()).balance()).isEqualTo(INITIAL_BALANCE);
    }
}
