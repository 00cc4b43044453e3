package dev.verity.modelhub.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verity.inference.engine.EngineOptions;
import dev.verity.inference.engine.IntegerEngine;
import dev.verity.inference.engine.RunResult;
import dev.verity.inference.program.Program;
import dev.verity.inference.program.Tensor;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;

class ParallelRunnerTest {

    @Test
    void anyNumberOfThreadsGivesTheSingleThreadedBytesAndHashes() {
        for (int slice : new int[] {7, 40, 1 << 20}) {
            Program p = BitExactMain.program(slice);
            SortedMap<String, Tensor> in = BitExactMain.fixedInputs(p);
            RunResult reference = new IntegerEngine(p, EngineOptions.SCALAR).run(in);
            for (boolean vector : new boolean[] {false, true}) {
                IntegerEngine engine = new IntegerEngine(p, new EngineOptions(vector));
                for (int threads : new int[] {1, 2, 3, 4, 8}) {
                    try (ParallelRunner runner = new ParallelRunner(engine, threads)) {
                        for (int repeat = 0; repeat < 3; repeat++) {
                            RunResult r = runner.run(in);
                            assertThat(r.outputs()).isEqualTo(reference.outputs());
                            assertThat(r.inputHash()).isEqualTo(reference.inputHash());
                            assertThat(r.stepHashes()).as("slice %d threads %d vector %s", slice, threads, vector)
                                    .isEqualTo(reference.stepHashes());
                        }
                    }
                }
            }
        }
    }

    @Test
    void refusesZeroThreadsAndPropagatesStepErrors() {
        Program p = BitExactMain.program(40);
        IntegerEngine engine = new IntegerEngine(p, EngineOptions.SCALAR);
        assertThatThrownBy(() -> new ParallelRunner(engine, 0)).isInstanceOf(IllegalArgumentException.class);
        try (ParallelRunner runner = new ParallelRunner(engine, 2)) {
            assertThatThrownBy(() -> runner.run(new java.util.TreeMap<>())).hasMessageContaining("missing program input");
        }
    }
}
