package dev.verity.ledger;

import static dev.verity.ledger.TestChain.ALICE;
import static dev.verity.ledger.TestChain.BOB;
import static dev.verity.ledger.TestChain.NODE_1;
import static dev.verity.ledger.TestChain.NODE_2;
import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.core.Amounts;
import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.core.Sha256;
import dev.verity.ledger.event.EventType;
import dev.verity.ledger.event.LedgerEvent;
import dev.verity.ledger.state.ClaimPhase;
import dev.verity.ledger.state.DisputeRecord;
import dev.verity.ledger.state.JobStatus;
import dev.verity.proofs.trace.TraceTree;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.governance.GovernanceAction;
import dev.verity.protocol.tx.Payload;
import dev.verity.protocol.tx.SignedTransaction;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The OPTIMISTIC dispute game and SAMPLED audits, one scenario at a time on {@link TinyProgram}. */
class DisputeGameTest {
    private final ProvableWorld world = new ProvableWorld(Map.of(), 11, NODE_1);
    private final TestChain chain = world.chain;

    /** Submits an OPTIMISTIC job and posts its result made the {@code kind} way. */
    private TraceParty postedOptimistic(TraceParty.Kind kind) {
        Hash job = world.submit(VerificationMode.OPTIMISTIC, TinyProgram.input(world.rnd));
        byte[] copied = dev.verity.inference.trace.TraceValues.compute(TinyProgram.ENGINE, TinyProgram.input(world.rnd)).output();
        TraceParty result = world.resultParty(job, kind, copied);
        chain.block(chain.sign(result.key, result.result()));
        return result;
    }

    @Test
    void anUnchallengedResultSettlesWhenItsWindowCloses() {
        Hash job = postedOptimistic(TraceParty.Kind.HONEST).job;
        assertThat(world.job(job).status()).isEqualTo(JobStatus.VERIFYING);
        long windowEnds = world.claim(job).windowEnds();
        long earned = chain.node(NODE_1).earned();
        chain.advanceTo(windowEnds - 1);
        assertThat(world.job(job).status()).isEqualTo(JobStatus.VERIFYING);
        chain.emptyBlocks(1);
        assertThat(world.job(job).status()).isEqualTo(JobStatus.SETTLED);
        assertThat(chain.node(NODE_1).earned()).isGreaterThan(earned);
        assertThat(world.claim(job)).isNull();
        assertThat(chain.supplyHistory).containsOnly(chain.supplyHistory.get(0));
    }

    @ParameterizedTest
    @EnumSource(value = TraceParty.Kind.class, names = {"WRONG_OUTPUT", "WRONG_TRACE", "WRONG_INTERMEDIATE", "COPY"})
    void everyCheatIsCaughtByAChallengeAndSlashed(TraceParty.Kind kind) {
        TraceParty cheat = postedOptimistic(kind);
        Hash job = cheat.job;
        TraceParty watcher = world.otherParty(BOB, job, TraceParty.Kind.HONEST);
        long stake = chain.node(NODE_1).stake();
        long bobBefore = chain.balance(BOB);
        chain.block(chain.sign(BOB, watcher.challenge()));
        assertThat(world.job(job).status()).isEqualTo(JobStatus.DISPUTED);
        DisputeRecord opened = world.dispute(job);
        assertThat(opened.bond()).isEqualTo(chain.params().challengerBond());

        world.play(job, cheat, watcher, -1, -1);

        long slash = Amounts.basisPoints(stake, chain.params().disputeSlashBps());
        long reward = Amounts.basisPoints(slash, chain.params().winnerShareBps());
        assertThat(chain.node(NODE_1).stake()).isEqualTo(stake - slash);
        assertThat(chain.node(NODE_1).penalized()).isEqualTo(slash);
        LedgerEvent resolved = chain.events(EventType.DISPUTE_RESOLVED, job).get(0);
        assertThat(resolved.reason()).startsWith("the challenger won");
        assertThat(chain.events(EventType.NODE_SLASHED, job)).singleElement()
                .satisfies(e -> assertThat(e.reason()).contains("lost the dispute over its result"));
        assertThat(world.job(job).status()).isEqualTo(JobStatus.SETTLED);
        assertThat(chain.output(job)).isEqualTo(watcher.output);
        assertThat(world.job(job).outputHash()).isEqualTo(Sha256.digest(watcher.output));
        long paid = chain.events(EventType.NODE_PAID, job).get(0).amount();
        assertThat(chain.balance(BOB)).isEqualTo(bobBefore + reward + paid);
        int depth = TraceTree.depth(world.traceSize());
        int moves = Integer.parseInt(resolved.reason().replaceAll(".*; (\\d+) defender and (\\d+) challenger moves.*", "$1"));
        assertThat(moves).isLessThanOrEqualTo(depth + 2);
        String index = switch (kind) {
            case WRONG_OUTPUT -> "trace index " + (world.traceSize() - 1) + " (dequantizing";
            case WRONG_INTERMEDIATE -> "trace index 1 (engine step 0)";
            case COPY -> "trace index 0 (quantizing";
            default -> "trace index ";
        };
        assertThat(resolved.reason()).contains(index);
        assertThat(chain.supplyHistory).containsOnly(chain.supplyHistory.get(0));
    }

    @Test
    void aLyingChallengerLosesPartOfItsBondAndTheResultStands() {
        TraceParty honest = postedOptimistic(TraceParty.Kind.HONEST);
        Hash job = honest.job;
        TraceParty liar = world.otherParty(BOB, job, TraceParty.Kind.WRONG_TRACE);
        long bobBefore = chain.balance(BOB);
        long stake = chain.node(NODE_1).stake();
        chain.block(chain.sign(BOB, liar.challenge()));
        world.play(job, honest, liar, -1, -1);
        long bond = chain.params().challengerBond();
        long slash = Amounts.basisPoints(bond, chain.params().disputeSlashBps());
        assertThat(chain.balance(BOB)).isEqualTo(bobBefore - slash);
        assertThat(chain.node(NODE_1).stake()).isEqualTo(stake);
        assertThat(chain.events(EventType.BOND_SLASHED, job)).hasSize(1);
        assertThat(chain.events(EventType.DISPUTE_RESOLVED, job).get(0).reason()).startsWith("the result's node won");
        // back in its window, it settles when the window closes
        chain.advanceTo(Math.max(chain.height, world.claim(job) == null ? chain.height : world.claim(job).windowEnds()));
        assertThat(world.job(job).status()).isEqualTo(JobStatus.SETTLED);
        assertThat(world.job(job).outputHash()).isEqualTo(Sha256.digest(honest.output));
        assertThat(chain.supplyHistory).containsOnly(chain.supplyHistory.get(0));
    }

    @Test
    void aPartyThatStopsAnsweringLoses() {
        TraceParty cheat = postedOptimistic(TraceParty.Kind.WRONG_TRACE);
        Hash job = cheat.job;
        TraceParty watcher = world.otherParty(BOB, job, TraceParty.Kind.HONEST);
        long stake = chain.node(NODE_1).stake();
        chain.block(chain.sign(BOB, watcher.challenge()));
        world.play(job, cheat, watcher, 1, -1);
        assertThat(chain.node(NODE_1).stake()).isLessThan(stake);
        assertThat(chain.events(EventType.DISPUTE_RESOLVED, job).get(0).reason())
                .startsWith("the challenger won").contains("the defender did not move in round 1");

        chain.block(chain.sign(NODE_1, new Payload.Bond(stake - chain.node(NODE_1).stake())));
        TraceParty honest = postedOptimistic(TraceParty.Kind.HONEST);
        Hash second = honest.job;
        TraceParty quitter = world.otherParty(BOB, second, TraceParty.Kind.WRONG_OUTPUT);
        long before = chain.balance(BOB);
        chain.block(chain.sign(BOB, quitter.challenge()));
        world.play(second, honest, quitter, -1, 0);
        assertThat(chain.events(EventType.DISPUTE_RESOLVED, second).get(0).reason()).startsWith("the result's node won");
        assertThat(chain.balance(BOB)).isLessThan(before);
    }

    @Test
    void badMovesAndProofsAreRefusedAndChangeNothing() {
        TraceParty cheat = postedOptimistic(TraceParty.Kind.WRONG_OUTPUT);
        Hash job = cheat.job;
        TraceParty watcher = world.otherParty(BOB, job, TraceParty.Kind.HONEST);
        refused(chain.sign(NODE_1, cheat.challenge()), RejectCode.MALFORMED, "its own result");
        refused(chain.sign(BOB, cheat.challenge()), RejectCode.INVALID_EVIDENCE, "nothing to dispute");
        refused(chain.sign(BOB, new Payload.Challenge(job, watcher.output, new byte[] {1, 2, 3})), RejectCode.MALFORMED,
                "not a trace claim");
        refused(chain.sign(BOB, new Payload.Challenge(job, cheat.output, watcher.evidence())), RejectCode.INVALID_EVIDENCE,
                "does not prove its output");
        chain.block(chain.sign(BOB, watcher.challenge()));
        refused(chain.sign(ALICE, watcher.challenge()), RejectCode.JOB_NOT_OPEN, "already disputed");

        DisputeRecord d = world.dispute(job);
        refused(chain.sign(ALICE, watcher.move(d)), RejectCode.NOT_ASSIGNED, "not a party");
        refused(chain.sign(BOB, cheat.move(d)), RejectCode.INVALID_EVIDENCE, "do not hash to your value");
        refused(chain.sign(BOB, watcher.proof(d)), RejectCode.JOB_NOT_OPEN, "still bisecting");
        chain.block(chain.sign(BOB, watcher.move(d)), chain.sign(NODE_1, cheat.move(d)));
        chain.block(chain.sign(BOB, watcher.move(world.dispute(job))));
        refused(chain.sign(BOB, watcher.move(world.dispute(job))), RejectCode.MALFORMED, "already moved");

        // play to the single step, then try proofs that do not hold
        while (world.dispute(job).phase() == dev.verity.ledger.state.DisputePhase.BISECT) {
            DisputeRecord now = world.dispute(job);
            java.util.List<SignedTransaction> txs = new java.util.ArrayList<>();
            if (now.defenderMove() == null) {
                txs.add(chain.sign(NODE_1, cheat.move(now)));
            }
            if (now.challengerMove() == null) {
                txs.add(chain.sign(BOB, watcher.move(now)));
            }
            chain.block(txs.toArray(new SignedTransaction[0]));
        }
        DisputeRecord step = world.dispute(job);
        Payload.ProveStep good = watcher.proof(step);
        byte[] witness = good.witness();
        witness[witness.length - 1] ^= 1;
        refused(chain.sign(BOB, new Payload.ProveStep(job, good.previousValue(), good.previousPath(), witness)),
                null, "");
        refused(chain.sign(BOB, new Payload.ProveStep(job, Sha256.digest(new byte[] {9}), good.previousPath(),
                good.witness())), RejectCode.INVALID_EVIDENCE, "agreed node");
        refused(chain.sign(BOB, new Payload.ProveStep(job, good.previousValue(), good.previousPath(), new byte[] {7})),
                RejectCode.MALFORMED, "witness is malformed");
        assertThat(world.dispute(job)).usingRecursiveComparison().isEqualTo(step);
        chain.block(chain.sign(BOB, good));
        assertThat(world.dispute(job)).isNull();
        assertThat(chain.events(EventType.DISPUTE_RESOLVED, job).get(0).reason()).startsWith("the challenger won");
    }

    @Test
    void challengesAfterTheWindowAreRefused() {
        Hash job = postedOptimistic(TraceParty.Kind.WRONG_OUTPUT).job;
        TraceParty watcher = world.otherParty(BOB, job, TraceParty.Kind.HONEST);
        chain.advanceTo(world.claim(job).windowEnds());
        refused(chain.sign(BOB, watcher.challenge()), RejectCode.UNKNOWN_JOB, "finished and left the live state");
    }

    @Test
    void governanceRefusesParametersUnderWhichCheatingPays() {
        var ok = new GovernanceAction.SetVerificationParams(12, 4, 50 * TestChain.VRT, 2_000, 4_000, 500);
        chain.block(chain.govern(ok));
        assertThat(chain.params().auditProbabilityBps()).isEqualTo(500);
        assertThat(chain.params().challengeWindowBlocks()).isEqualTo(12);
        var bad = new GovernanceAction.SetVerificationParams(12, 4, 50 * TestChain.VRT, 1, 4_000, 1);
        SignedTransaction tx = chain.govern(bad);
        refused(tx, RejectCode.INVALID_PROPOSAL, "cheating on model tiny-mlp would pay");
        assertThat(chain.params().auditProbabilityBps()).isEqualTo(500);
    }

    private void refused(SignedTransaction tx, RejectCode code, String message) {
        var root = chain.ledger.state().root();
        var produced = chain.produce(List.of(tx));
        assertThat(produced.refused()).singleElement().satisfies(r -> {
            if (code != null) {
                assertThat(r.reason().code()).isEqualTo(code);
            }
            assertThat(r.reason().getMessage()).contains(message);
        });
        assertThat(produced.block().transactions()).isEmpty();
    }
}
