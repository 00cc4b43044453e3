package dev.verity.inference.trace;

import dev.verity.core.Hash;
import dev.verity.inference.engine.EngineOptions;
import dev.verity.inference.engine.IntegerEngine;
import dev.verity.inference.generate.DecoderStep;
import java.util.List;

/**
 * The commitment to a decoder's step program for proving single steps of a generation ({@link GenerationTrace}): leaf 0
 * is the {@link DecoderLeaf}, leaf {@code 1 + i} the {@link OpLeaf} of op {@code i}, as {@link ProgramCommitment} builds
 * them. The chain registers its root, leaf count and step count like any program's.
 */
public final class DecoderCommitment extends LeafCommitment {
    private final DecoderStep step;
    private final DecoderLeaf decoder;

    /** Commits to {@code step} with the model's end token ({@code GenerationParameters.NO_END_TOKEN} for none). */
    public DecoderCommitment(DecoderStep step, int endToken) {
        this(step, endToken, new IntegerEngine(step.program(), EngineOptions.SCALAR));
    }

    private DecoderCommitment(DecoderStep step, int endToken, IntegerEngine engine) {
        this(step, DecoderLeaf.of(step, endToken, engine.plan().size()), OpLeaves.of(step.program(), engine));
    }

    private DecoderCommitment(DecoderStep step, DecoderLeaf decoder, List<OpLeaf> ops) {
        super(decoder.encode(), ops, decoder.stepCount());
        this.step = step;
        this.decoder = decoder;
    }

    public DecoderStep step() {
        return step;
    }

    public DecoderLeaf decoderLeaf() {
        return decoder;
    }

    public List<Hash> decoderPath() {
        return firstLeafPath();
    }
}
