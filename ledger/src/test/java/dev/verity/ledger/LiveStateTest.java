package dev.verity.ledger;

import static dev.verity.ledger.TestChain.ALICE;
import static dev.verity.ledger.TestChain.BOB;
import static dev.verity.ledger.TestChain.NODE_1;
import static dev.verity.ledger.TestChain.VRT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.core.ByteKey;
import dev.verity.core.Bytes;
import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.core.Sha256;
import dev.verity.ledger.state.JobStatus;
import dev.verity.ledger.state.LedgerState;
import dev.verity.ledger.state.StateAudit;
import dev.verity.protocol.state.StateProof;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.tx.SignedTransaction;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Live state stays as large as the work in flight, is read back from its backend, and proves its rows. */
class LiveStateTest {
    private static final Hash MODEL = TestChain.modelHash("live state");

    private static TestChain chainWithNode() {
        TestChain c = new TestChain();
        c.block(c.registerModel(ALICE, MODEL, "live", 1_000_000),
                c.registerNode(NODE_1, 1_000 * VRT, 64, List.of(MODEL), VerificationMode.NONE));
        return c;
    }

    /** One round: {@code n} jobs submitted in one block, answered in the next. */
    private static void round(TestChain c, int n) {
        List<SignedTransaction> jobs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            jobs.add(c.submitJob(i % 2 == 0 ? ALICE : BOB, MODEL, VerificationMode.NONE, 10_000));
        }
        c.block(jobs.toArray(new SignedTransaction[0]));
        List<SignedTransaction> results = new ArrayList<>();
        for (SignedTransaction j : jobs) {
            results.add(c.postResult(j.hash(), Bytes.utf8("out")));
        }
        c.block(results.toArray(new SignedTransaction[0]));
    }

    @Test
    void storedRowsFollowTheLiveWorkNotTheHistory() {
        TestChain c = chainWithNode();
        round(c, 20);
        int afterOneRound = c.backend.size();
        for (int i = 0; i < 10; i++) {
            round(c, 20);
        }
        assertThat(c.retired).hasSize(220);
        assertThat(c.retired.values()).allSatisfy(r -> assertThat(r.job().status()).isEqualTo(JobStatus.SETTLED));
        assertThat(c.ledger.state().jobs.count()).isZero();
        // Balances and nonces change, the number of rows and trie nodes does not.
        assertThat(c.backend.size()).isEqualTo(afterOneRound);
    }

    @Test
    void aStateReopenedOverItsBackendReadsTheSameRowsAndRoot() {
        TestChain c = chainWithNode();
        round(c, 5);
        c.block(c.submitJob(ALICE, MODEL, VerificationMode.NONE, 10_000));
        LedgerState reopened = new LedgerState(c.backend, 0);
        assertThat(reopened.root()).isEqualTo(c.ledger.state().root());
        assertThat(reopened.account(ALICE.publicKey())).isEqualTo(c.ledger.state().account(ALICE.publicKey()));
        assertThat(reopened.jobs.values()).isEqualTo(c.ledger.state().jobs.values()).hasSize(1);
        StateAudit.Result audit = StateAudit.recompute(c.backend);
        assertThat(audit.clean()).isTrue();
        assertThat(audit.rowsRoot()).isEqualTo(c.ledger.state().root());
    }

    @Test
    void aRowIsProvenPresentOrAbsentAgainstTheStateRootAndATamperedProofFails() {
        TestChain c = chainWithNode();
        round(c, 3);
        LedgerState s = c.ledger.state();
        ByteKey alice = s.accounts.storageKey(ALICE.publicKey());
        StateProof present = s.prove(alice);
        assertThat(present.root()).isEqualTo(c.blocks.getLast().block().header().stateRoot());
        assertThat(present.value()).isEqualTo(s.accounts.encodeValue(s.account(ALICE.publicKey())));
        assertThat(present.verify()).isTrue();
        byte[] forged = present.value().clone();
        forged[forged.length - 1] ^= 1;
        assertThat(new StateProof(present.root(), present.key(), forged, present.proof()).verify()).isFalse();
        assertThat(new StateProof(present.root(), present.key(), null, present.proof()).verify()).isFalse();

        ByteKey stranger = s.accounts.storageKey(PrivateKey.deterministic("never funded").publicKey());
        StateProof absent = s.prove(stranger);
        assertThat(absent.value()).isNull();
        assertThat(absent.verify()).isTrue();
        assertThat(new StateProof(Sha256.digest(Bytes.utf8("another root")), absent.key(), null, absent.proof()).verify())
                .isFalse();
    }
}
