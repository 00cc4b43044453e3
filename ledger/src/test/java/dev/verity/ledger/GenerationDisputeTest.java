package dev.verity.ledger;

import static dev.verity.ledger.TestChain.ALICE;
import static dev.verity.ledger.TestChain.BOB;
import static dev.verity.ledger.TestChain.NODE_1;
import static dev.verity.ledger.TestChain.VRT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.core.Amounts;
import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.core.PublicKey;
import dev.verity.core.Sha256;
import dev.verity.inference.engine.EngineOptions;
import dev.verity.inference.engine.IntegerEngine;
import dev.verity.inference.generate.BigramSteps;
import dev.verity.inference.generate.DecoderStep;
import dev.verity.inference.generate.GenerationJob;
import dev.verity.inference.generate.TokenListener;
import dev.verity.inference.trace.DecoderCommitment;
import dev.verity.inference.trace.GenerationTrace;
import dev.verity.inference.trace.GenerationTracer;
import dev.verity.inference.trace.TraceValues;
import dev.verity.ledger.event.EventType;
import dev.verity.ledger.event.LedgerEvent;
import dev.verity.ledger.state.DisputePhase;
import dev.verity.ledger.state.DisputeRecord;
import dev.verity.ledger.state.JobStatus;
import dev.verity.proofs.trace.TraceClaim;
import dev.verity.proofs.trace.TraceTree;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.generation.GenerationRequest;
import dev.verity.protocol.generation.GenerationResult;
import dev.verity.protocol.schema.InputSchema;
import dev.verity.protocol.tx.Payload;
import dev.verity.protocol.tx.SignedTransaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntBinaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Disputes over OPTIMISTIC generation jobs: the trace covers every forward pass and every draw, the bisection game finds
 * the first value two trees differ at, and the chain's step check of that value decides. A node that changes one
 * generated token loses; an honest node challenged by a liar loses nothing.
 */
class GenerationDisputeTest {
    static final Hash CHAT = TestChain.modelHash("bigram-chat");
    static final int END = 3;
    static final DecoderStep STEP = BigramSteps.step();
    static final DecoderCommitment COMMITMENT = new DecoderCommitment(STEP, END);
    static final GenerationTracer TRACER = new GenerationTracer(COMMITMENT, new IntegerEngine(STEP.program(), EngineOptions.SCALAR));
    static final GenerationRequest REQUEST = new GenerationRequest(new int[] {0, 4}, 5, 900, 1000, List.of(), 42);

    TestChain chain;

    @BeforeEach
    void world() {
        chain = new TestChain(TestChain.params(Map.of()));
        chain.block(chain.sign(ALICE, new Payload.RegisterModel(CHAT, "bigram-chat", "a generation request", "a generation result",
                1_000_000, new InputSchema.TokenGeneration(BigramSteps.VOCAB, BigramSteps.CONTEXT, 6, 100_000, 100_000))));
        chain.block(chain.sign(ALICE, new Payload.RegisterProgram(CHAT, COMMITMENT.root(), COMMITMENT.leafCount(),
                COMMITMENT.stepCount())));
        chain.block(chain.registerNode(NODE_1, 1_000 * VRT, List.of(CHAT), VerificationMode.OPTIMISTIC));
    }

    /** One party's tree of a generation job, made by running it with token {@code changed} replaced (or none: -1). */
    final class Party {
        final PrivateKey key;
        final Hash job;
        final GenerationJob spec;
        final TraceValues values;
        final TraceTree tree;
        final boolean honest;

        Party(PrivateKey key, Hash job, PublicKey resultNode, int changed) {
            this.key = key;
            this.job = job;
            this.spec = GenerationJob.of(job, REQUEST.prompt(), REQUEST.maxTokens(), REQUEST.temperatureMilli(),
                    REQUEST.topPMilli(), REQUEST.stopSequences(), REQUEST.seed());
            IntBinaryOperator substitute = (i, drawn) -> i == changed ? (drawn + 1) % BigramSteps.VOCAB == END
                    ? (drawn + 2) % BigramSteps.VOCAB : (drawn + 1) % BigramSteps.VOCAB : drawn;
            this.values = TRACER.trace(spec, TokenListener.NONE, substitute);
            this.tree = new TraceTree(job, resultNode, values.values());
            this.honest = changed < 0;
        }

        byte[] evidence() {
            return TraceClaim.of(tree).encode();
        }

        Payload.DisputeMove move(DisputeRecord d) {
            int mid = TraceTree.split(d.lo(), d.hi());
            return new Payload.DisputeMove(job, tree.node((int) d.lo(), mid), tree.node(mid, (int) d.hi()));
        }

        Payload.ProveStep proof(DisputeRecord d) {
            int k = (int) d.lo();
            Hash previous = k == 0 ? Hash.ZERO : values.values().get(k - 1);
            List<Hash> path = k == 0 ? List.of() : tree.path((int) d.agreedLo(), k, k - 1);
            return new Payload.ProveStep(job, previous, path, TRACER.witness(spec, k).encode());
        }
    }

    Hash submit() {
        SignedTransaction tx = chain.submitJob(ALICE, CHAT, REQUEST.encode(), VerificationMode.OPTIMISTIC, List.of(), 10_000, 5);
        chain.block(tx);
        assertThat(chain.job(tx.hash()).status()).isEqualTo(JobStatus.ASSIGNED);
        return tx.hash();
    }

    /** Plays the dispute to its end, one block per round; honest parties prove the single step. */
    void play(Hash job, Party defender, Party challenger) {
        for (int blocks = 0; chain.ledger.state().disputes.get(job) != null; blocks++) {
            DisputeRecord d = chain.ledger.state().disputes.get(job);
            List<SignedTransaction> txs = new ArrayList<>();
            if (d.phase() == DisputePhase.BISECT) {
                txs.add(chain.sign(defender.key, defender.move(d)));
                txs.add(chain.sign(challenger.key, challenger.move(d)));
            } else {
                Party prover = defender.honest ? defender : challenger;
                txs.add(chain.sign(prover.key, prover.proof(d)));
            }
            chain.block(txs.toArray(new SignedTransaction[0]));
            assertThat(blocks).isLessThan(64);
        }
    }

    @Test
    void anHonestGenerationSettlesWithTheTraceOfEveryPass() {
        Hash job = submit();
        Party node = new Party(NODE_1, job, NODE_1.publicKey(), -1);
        GenerationTrace layout = TRACER.layout(node.spec);
        assertThat((long) node.values.values().size()).isEqualTo(layout.size()).isEqualTo((2 + 5 - 1) * (COMMITMENT.stepCount() + 1L) + 1);
        chain.block(chain.sign(NODE_1, new Payload.SubmitResult(job, node.values.output(), node.evidence())));
        assertThat(chain.job(job).status()).isEqualTo(JobStatus.VERIFYING);
        chain.advanceTo(chain.ledger.state().claims.get(job).windowEnds() + 1);
        assertThat(chain.job(job).status()).isEqualTo(JobStatus.SETTLED);
        assertThat(GenerationResult.decode(chain.output(job)).length()).isBetween(1, 5);
    }

    @Test
    void aNodeThatChangesOneGeneratedTokenLosesAtTheDrawThatMadeIt() {
        Hash job = submit();
        Party cheat = new Party(NODE_1, job, NODE_1.publicKey(), 1);
        Party watcher = new Party(BOB, job, NODE_1.publicKey(), -1);
        assertThat(cheat.values.output()).isNotEqualTo(watcher.values.output());
        chain.block(chain.sign(NODE_1, new Payload.SubmitResult(job, cheat.values.output(), cheat.evidence())));
        long stake = chain.node(NODE_1).stake();
        chain.block(chain.sign(BOB, new Payload.Challenge(job, watcher.values.output(), watcher.evidence())));
        assertThat(chain.job(job).status()).isEqualTo(JobStatus.DISPUTED);

        play(job, cheat, watcher);

        LedgerEvent resolved = chain.events(EventType.DISPUTE_RESOLVED, job).get(0);
        // token 1 is drawn after pass P (the prompt's 2 passes, then the pass that fed token 0) and fed to pass P + 1
        GenerationTrace layout = TRACER.layout(watcher.spec);
        long first = layout.index(REQUEST.promptLength() + 1, 0);
        assertThat(resolved.reason()).startsWith("the challenger won")
                .contains("trace index " + first + " (the token fed to forward pass " + (REQUEST.promptLength() + 1) + ")");
        long slash = Amounts.basisPoints(stake, chain.params().disputeSlashBps());
        assertThat(chain.node(NODE_1).stake()).isEqualTo(stake - slash);
        assertThat(chain.job(job).status()).isEqualTo(JobStatus.SETTLED);
        assertThat(chain.job(job).outputHash()).isEqualTo(Sha256.digest(watcher.values.output()));
    }

    @Test
    void anHonestNodeChallengedByALiarLosesNothing() {
        Hash job = submit();
        Party node = new Party(NODE_1, job, NODE_1.publicKey(), -1);
        Party liar = new Party(BOB, job, NODE_1.publicKey(), 0);
        chain.block(chain.sign(NODE_1, new Payload.SubmitResult(job, node.values.output(), node.evidence())));
        long stake = chain.node(NODE_1).stake();
        long penalized = chain.node(NODE_1).penalized();
        long bob = chain.balance(BOB);
        chain.block(chain.sign(BOB, new Payload.Challenge(job, liar.values.output(), liar.evidence())));

        play(job, node, liar);

        assertThat(chain.events(EventType.DISPUTE_RESOLVED, job).get(0).reason()).startsWith("the result's node won");
        assertThat(chain.node(NODE_1).stake()).isEqualTo(stake);
        assertThat(chain.node(NODE_1).penalized()).isEqualTo(penalized);
        assertThat(chain.balance(BOB)).isLessThan(bob);
        chain.advanceTo(chain.ledger.state().claims.get(job) == null ? chain.ledger.state().height()
                : chain.ledger.state().claims.get(job).windowEnds() + 1);
        assertThat(chain.job(job).status()).isEqualTo(JobStatus.SETTLED);
        assertThat(chain.job(job).outputHash()).isEqualTo(Sha256.digest(node.values.output()));
    }

    @Test
    void aStepProofThatDoesNotProveIsRefusedAndChangesNothing() {
        Hash job = submit();
        Party cheat = new Party(NODE_1, job, NODE_1.publicKey(), 1);
        Party watcher = new Party(BOB, job, NODE_1.publicKey(), -1);
        chain.block(chain.sign(NODE_1, new Payload.SubmitResult(job, cheat.values.output(), cheat.evidence())));
        chain.block(chain.sign(BOB, new Payload.Challenge(job, watcher.values.output(), watcher.evidence())));
        while (chain.ledger.state().disputes.get(job).phase() == DisputePhase.BISECT) {
            DisputeRecord d = chain.ledger.state().disputes.get(job);
            chain.block(chain.sign(NODE_1, cheat.move(d)), chain.sign(BOB, watcher.move(d)));
        }
        DisputeRecord d = chain.ledger.state().disputes.get(job);
        Payload.ProveStep good = watcher.proof(d);
        // the witness of another index (the one before): wrong kind for this one
        Payload.ProveStep wrong = new Payload.ProveStep(job, good.previousValue(), good.previousPath(),
                TRACER.witness(watcher.spec, d.lo() - 1).encode());
        var produced = chain.produce(List.of(chain.sign(BOB, wrong)));
        assertThat(produced.refused()).singleElement().satisfies(r -> assertThat(r.reason().getMessage())
                .contains("the step proof for trace index " + d.lo() + " is refused"));
        assertThat(chain.ledger.state().disputes.get(job)).isNotNull();
        chain.forgetPendingNonces();
        chain.block(chain.sign(BOB, good));
        assertThat(chain.ledger.state().disputes.get(job)).isNull();
    }
}
