package dev.verity.compute.verify;

import dev.verity.core.Hash;
import dev.verity.core.PublicKey;
import dev.verity.inference.trace.TraceValues;
import dev.verity.proofs.trace.TraceClaim;
import dev.verity.proofs.trace.TraceTree;
import java.util.List;

/**
 * One party's version of a job's trace: the values it claims, the output they end in, and the tree of
 * the result's node built over them (every party builds the tree the result's node should have
 * committed, so honest parties hold equal roots). {@code honest} is false for a cheated trace, whose
 * party can never prove a step.
 */
public final class JobTrace {
    private final Hash job;
    private final PublicKey resultNode;
    private final byte[] input;
    private final TraceValues values;
    private final TraceTree tree;
    private final ProvableProgram program;
    private final boolean honest;

    JobTrace(Hash job, PublicKey resultNode, byte[] input, TraceValues values, ProvableProgram program, boolean honest) {
        this.job = job;
        this.resultNode = resultNode;
        this.input = input.clone();
        this.values = values;
        this.tree = new TraceTree(job, resultNode, values.values());
        this.program = program;
        this.honest = honest;
    }

    /** A party's step proof: the agreed value before the step, its path inside the agreed range, and the witness. */
    public record StepProof(Hash previousValue, List<Hash> previousPath, byte[] witness) {}

    public Hash job() {
        return job;
    }

    public PublicKey resultNode() {
        return resultNode;
    }

    public boolean honest() {
        return honest;
    }

    public byte[] output() {
        return values.output();
    }

    public Hash root() {
        return tree.root();
    }

    public int size() {
        return tree.size();
    }

    /** The evidence of a result, challenge or audit report: the root and the output's path. */
    public byte[] evidence() {
        return TraceClaim.of(tree).encode();
    }

    /** The node value of the range {@code [lo, hi)}. */
    public Hash node(long lo, long hi) {
        return tree.node((int) lo, (int) hi);
    }

    /** The proof of trace index {@code k}, the first index where the trees differ; {@code agreedLo} starts the agreed range before it. */
    public StepProof proof(long k, long agreedLo) {
        int i = (int) k;
        Hash previous = i == 0 ? Hash.ZERO : values.values().get(i - 1);
        List<Hash> path = i == 0 ? List.of() : tree.path((int) agreedLo, i, i - 1);
        return new StepProof(previous, path, program.witness(job, input, i));
    }
}
