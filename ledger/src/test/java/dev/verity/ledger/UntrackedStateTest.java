package dev.verity.ledger;

import static dev.verity.ledger.TestChain.ALICE;
import static dev.verity.ledger.TestChain.BOB;
import static dev.verity.ledger.TestChain.NODE_1;
import static dev.verity.ledger.TestChain.NODE_2;
import static dev.verity.ledger.TestChain.VRT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verity.core.Hash;
import dev.verity.ledger.block.BlockExecution;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.tx.SignedTransaction;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A state that stops tracking its changes (a simulation's) executes the same blocks to the same roots. */
class UntrackedStateTest {
    private static final Hash MODEL = TestChain.modelHash("untracked");

    @Test
    void anUntrackedStateReachesTheSameRootsAndRefusesToDrainChanges() {
        TestChain tracked = new TestChain();
        TestChain untracked = new TestChain();
        untracked.ledger.state().stopTrackingChanges();
        List<Hash> trackedRoots = run(tracked);
        List<Hash> untrackedRoots = run(untracked);
        assertThat(untrackedRoots).isEqualTo(trackedRoots).doesNotHaveDuplicates();
        assertThat(untracked.ledger.state().root()).isEqualTo(tracked.ledger.state().root());
        assertThatThrownBy(() -> untracked.ledger.state().drainChanges((k, v) -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("does not track its changes");
    }

    /** Registrations, jobs (one refused), results, an expiry: the state root after each block. */
    private static List<Hash> run(TestChain c) {
        List<Hash> roots = new ArrayList<>();
        roots.add(c.block(c.registerModel(ALICE, MODEL, "untracked", 1_000_000),
                c.registerNode(NODE_1, 1_000 * VRT, List.of(MODEL), VerificationMode.NONE),
                c.registerNode(NODE_2, 2_000 * VRT, List.of(MODEL), VerificationMode.NONE)).block().header().stateRoot());
        List<SignedTransaction> jobs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            jobs.add(c.submitJob(i % 2 == 0 ? ALICE : BOB, MODEL, VerificationMode.NONE, 10_000));
        }
        jobs.add(c.submitJob(ALICE, MODEL, VerificationMode.NONE, 1)); // refused: the max fee is too low
        BlockExecution.Produced p = c.produce(jobs);
        assertThat(p.refused()).hasSize(1);
        roots.add(p.block().header().stateRoot());
        List<SignedTransaction> results = new ArrayList<>();
        for (SignedTransaction j : jobs.subList(0, 4)) {
            results.add(c.postResult(j.hash(), new byte[] {1, 2, 3}));
        }
        roots.add(c.block(results.toArray(new SignedTransaction[0])).block().header().stateRoot());
        for (int i = 0; i < 8; i++) {
            roots.add(c.produce(List.of()).block().header().stateRoot());
        }
        return roots;
    }
}
