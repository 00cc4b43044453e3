package dev.verity.modelhub.lm.quantize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.core.Hash;
import dev.verity.core.Merkle;
import dev.verity.inference.engine.EngineOptions;
import dev.verity.inference.engine.IntegerEngine;
import dev.verity.inference.engine.RunResult;
import dev.verity.inference.engine.State;
import dev.verity.inference.engine.Step;
import dev.verity.inference.generate.CacheSlot;
import dev.verity.inference.generate.DecoderStep;
import dev.verity.inference.generate.Generator;
import dev.verity.inference.program.Gather;
import dev.verity.inference.program.Program;
import dev.verity.inference.program.Tensor;
import dev.verity.inference.generate.GenerationParameters;
import dev.verity.inference.trace.DecoderCommitment;
import dev.verity.inference.trace.IoLeaf;
import dev.verity.inference.trace.OneStepProver;
import dev.verity.inference.trace.OneStepVerifier;
import dev.verity.inference.trace.OpLeaf;
import dev.verity.inference.trace.OpLeaves;
import dev.verity.inference.trace.StepWitness;
import dev.verity.modelhub.lm.DecoderConfig;
import dev.verity.modelhub.lm.DecoderWeights;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * One-step proofs of a quantized decoder's step program with the shipped model's shapes (vocabulary 2048, width 128,
 * MLP 512, context 128; one layer here): every op step proves to the engine's state hash with only the rows of the
 * embedding tables and weights it reads, and no op witness comes near the chain's default limit of 128 KiB.
 */
class DecoderStepProofTest {
    @Test
    void everyOpStepProvesAndTheLargestWitnessStaysWellUnderTheDefaultLimit() {
        DecoderConfig c = new DecoderConfig(2048, 128, 1, 4, 128, 512);
        DecoderWeights w = TestDecoders.random(c, 7);
        DecoderStep step = DecoderQuantizer.quantize(w, DecoderCalibration.calibrate(w, TestDecoders.sequences(c, 2, 24, 8)),
                256);
        IntegerEngine engine = new IntegerEngine(step.program(), EngineOptions.SCALAR);
        DecoderCommitment commitment = new DecoderCommitment(step, GenerationParameters.NO_END_TOKEN);
        Hash root = commitment.root();
        assertThat(commitment.opLeaf(0).rowCommitted()).extracting(t -> t.spec().name()).containsExactly("token_embedding");

        Generator g = new Generator(step, engine::run);
        SortedMap<String, Tensor> caches = g.emptyCaches();
        int[] tokens = TestDecoders.sequences(c, 1, 6, 9).get(0);
        int largest = 0;
        for (int p = 0; p < tokens.length; p++) {
            SortedMap<String, Tensor> inputs = g.stepInputs(tokens[p], p, caches);
            State state = engine.initialState(inputs);
            for (Step s : engine.plan()) {
                State after = engine.runStep(s.index(), state).state();
                if (p == 0 || p == tokens.length - 1) {
                    StepWitness.OpWitness witness = OneStepProver.opWitness(commitment, s, state);
                    byte[] bytes = witness.encode();
                    largest = Math.max(largest, bytes.length);
                    Hash got = OneStepVerifier.opStep(root, commitment.leafCount(), commitment.stepCount(), s.index(),
                            state.hash(), (StepWitness.OpWitness) StepWitness.decode(bytes, bytes.length));
                    assertThat(got).as("position %d, step %d (%s)", p, s.index(), s.output()).isEqualTo(after.hash());
                    if (witness.op().op() instanceof Gather) {
                        assertThat(bytes.length).as("a Gather: one row of its table and the row's path").isLessThan(2_000);
                    }
                }
                state = after;
            }
            RunResult run = engine.run(inputs);
            TreeMap<String, Tensor> next = new TreeMap<>();
            for (CacheSlot slot : step.caches()) {
                next.put(slot.input(), run.outputs().get(slot.output()));
            }
            caches = next;
        }
        // with the 2048 x 128 table in the op leaf, the Gather's and the head's witnesses were 263 KB
        assertThat(largest).isLessThan(80 * 1024);
    }
}
