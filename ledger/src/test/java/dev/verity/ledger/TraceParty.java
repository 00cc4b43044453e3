package dev.verity.ledger;

import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.core.PublicKey;
import dev.verity.core.Sha256;
import dev.verity.inference.engine.State;
import dev.verity.inference.engine.StepResult;
import dev.verity.inference.program.Tensor;
import dev.verity.inference.trace.OneStepProver;
import dev.verity.inference.trace.TraceValues;
import dev.verity.ledger.state.DisputeRecord;
import dev.verity.proofs.trace.TraceClaim;
import dev.verity.proofs.trace.TraceTree;
import dev.verity.protocol.tx.Payload;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One party's version of a job's trace on {@link TinyProgram}: the values it claims, the tree of the
 * result's node it commits to, and the moves and step proofs it plays from them. {@link Kind} says how
 * the values differ from the true run.
 */
final class TraceParty {
    /** The ways a claim can be made. */
    enum Kind {
        HONEST,
        /** The output is changed, and the last trace value follows it. */
        WRONG_OUTPUT,
        /** The right output with one intermediate value replaced. */
        WRONG_TRACE,
        /** A hidden unit changed mid-run; the later states follow from it and the output is still right. */
        WRONG_INTERMEDIATE,
        /** Another job's output taken as is, with a made-up trace around it. */
        COPY
    }

    final PrivateKey key;
    final Hash job;
    final PublicKey resultNode;
    final byte[] input;
    final Kind kind;
    final List<Hash> values;
    final byte[] output;
    final TraceTree tree;

    private TraceParty(PrivateKey key, Hash job, PublicKey resultNode, byte[] input, Kind kind, List<Hash> values, byte[] output) {
        this.key = key;
        this.job = job;
        this.resultNode = resultNode;
        this.input = input;
        this.kind = kind;
        this.values = List.copyOf(values);
        this.output = output.clone();
        this.tree = new TraceTree(job, resultNode, values);
    }

    /** {@code key}'s claim about the tree {@code resultNode} should commit for {@code job}, made the {@code kind} way. */
    static TraceParty of(PrivateKey key, Hash job, PublicKey resultNode, byte[] input, Kind kind, Random rnd, byte[] copied) {
        TraceValues truth = TraceValues.compute(TinyProgram.ENGINE, input);
        List<Hash> values = new ArrayList<>(truth.values());
        byte[] output = truth.output();
        int n = values.size();
        switch (kind) {
            case HONEST -> { }
            case WRONG_OUTPUT -> {
                output[rnd.nextInt(output.length)] ^= (byte) (1 << rnd.nextInt(8));
                values.set(n - 1, Sha256.digest(output));
            }
            case WRONG_TRACE -> values.set(rnd.nextInt(n - 1), randomHash(rnd));
            case WRONG_INTERMEDIATE -> values = perturbedHiddenUnit(input, values);
            case COPY -> {
                output = copied.clone();
                for (int i = 0; i < n - 1; i++) {
                    values.set(i, randomHash(rnd));
                }
                values.set(n - 1, Sha256.digest(output));
            }
        }
        return new TraceParty(key, job, resultNode, input, kind, values, output);
    }

    /** The run with hidden unit 0 (which no output reads) set to another value right after it is computed. */
    private static List<Hash> perturbedHiddenUnit(byte[] input, List<Hash> truth) {
        State state = TraceValues.stateAt(TinyProgram.ENGINE, input, 1);
        SortedMap<String, Tensor> tensors = new TreeMap<>(state.tensors());
        Tensor h = tensors.get("h");
        int[] v = h.values();
        v[0] = v[0] == 17 ? 18 : 17;
        tensors.put("h", Tensor.of(h.dtype(), h.shape(), v));
        state = State.of(tensors);
        List<Hash> out = new ArrayList<>(truth.subList(0, 1));
        out.add(state.hash());
        int steps = TinyProgram.ENGINE.plan().size();
        for (int s = 1; s < steps; s++) {
            StepResult r = TinyProgram.ENGINE.runStep(s, state);
            state = r.state();
            out.add(r.stateHash());
        }
        out.add(truth.get(truth.size() - 1));
        if (!out.get(out.size() - 2).equals(truth.get(truth.size() - 2))) {
            throw new AssertionError("the perturbed unit changed the output state; the test program is wrong");
        }
        return out;
    }

    private static Hash randomHash(Random rnd) {
        byte[] b = new byte[32];
        rnd.nextBytes(b);
        return Hash.wrap(b);
    }

    boolean honest() {
        return kind == Kind.HONEST;
    }

    byte[] evidence() {
        return TraceClaim.of(tree).encode();
    }

    Payload.SubmitResult result() {
        return new Payload.SubmitResult(job, output, evidence());
    }

    Payload.Challenge challenge() {
        return new Payload.Challenge(job, output, evidence());
    }

    Payload.AuditReport audit() {
        return new Payload.AuditReport(job, output, evidence());
    }

    /** Its node values of the two halves of the dispute's current range. */
    Payload.DisputeMove move(DisputeRecord d) {
        int lo = (int) d.lo();
        int hi = (int) d.hi();
        int mid = TraceTree.split(lo, hi);
        return new Payload.DisputeMove(job, tree.node(lo, mid), tree.node(mid, hi));
    }

    /** The proof of the dispute's single step from the true run (what an honest party posts). */
    Payload.ProveStep proof(DisputeRecord d) {
        int k = (int) d.lo();
        Hash previous = k == 0 ? Hash.ZERO : values.get(k - 1);
        List<Hash> path = k == 0 ? List.of() : tree.path((int) d.agreedLo(), k, k - 1);
        byte[] witness = OneStepProver.witness(TinyProgram.ENGINE, TinyProgram.COMMITMENT, input, k).encode();
        return new Payload.ProveStep(job, previous, path, witness);
    }
}
