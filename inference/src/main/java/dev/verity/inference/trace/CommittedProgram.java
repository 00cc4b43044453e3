package dev.verity.inference.trace;

import dev.verity.core.Hash;
import java.util.List;

/**
 * A program committed to for single-step proofs: a Merkle root over a leaf 0 that says how a trace starts and ends
 * ({@link IoLeaf} for a program that maps one job input to one output, {@link DecoderLeaf} for a decoder's step program
 * run once per token) and one {@link OpLeaf} per op at leaf {@code 1 + i}.
 */
public interface CommittedProgram {
    /** The Merkle root over all leaves. */
    Hash root();

    /** 1 + the number of ops. */
    int leafCount();

    /** The plan size {@code n} of one run of the program. */
    int stepCount();

    OpLeaf opLeaf(int opIndex);

    /** The Merkle path of op leaf {@code opIndex} (leaf {@code 1 + opIndex}). */
    List<Hash> opPath(int opIndex);

    /** The op whose slice plan step {@code step} computes. */
    int opOfStep(int step);
}
