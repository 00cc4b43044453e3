package dev.verity.inference.trace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.core.Hash;
import dev.verity.inference.engine.EngineOptions;
import dev.verity.inference.engine.IntegerEngine;
import dev.verity.inference.engine.State;
import dev.verity.inference.engine.Step;
import dev.verity.inference.program.Program;
import dev.verity.inference.program.Tensor;
import dev.verity.inference.program.TensorSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Op leaves that commit large constants and weights by rows: every step of programs that read them every way proves
 * to the engine's state hash, the kernels read nothing outside the rows a step is given, and a decoder's witnesses stay
 * small.
 */
class RowCommittedStepsTest {
    /** A committed program, its engine, and the states of one run: states.get(s) is the state before step s. */
    record Run(String name, CommittedProgram commitment, IntegerEngine engine, List<State> states) {}

    static Run run(String name, Program program, SortedMap<String, Tensor> inputs) {
        TestCommitment c = new TestCommitment(program);
        List<State> states = new ArrayList<>();
        State state = c.engine.initialState(inputs);
        states.add(state);
        for (Step step : c.engine.plan()) {
            state = c.engine.runStep(step.index(), state).state();
            states.add(state);
        }
        return new Run(name, c, c.engine, states);
    }

    static SortedMap<String, Tensor> jobInput(Program p, long seed) {
        TreeMap<String, Tensor> in = new TreeMap<>();
        String x = p.inputs().get(0);
        in.put(x, IoQuantization.quantizeInput(TraceFixtures.jobInput(p, seed), p.tensor(x)));
        return in;
    }

    static Stream<Arguments> runs() {
        Program small = TraceFixtures.decoder(300, 16, 24, 200, 37);
        return Stream.of(
                Arguments.of(run("rows, slices of 97", TraceFixtures.rows(97), jobInput(TraceFixtures.rows(97), 1))),
                Arguments.of(run("rows, slices of 500", TraceFixtures.rows(500), jobInput(TraceFixtures.rows(500), 2))),
                Arguments.of(run("rows, one step per op", TraceFixtures.rows(1 << 20), jobInput(TraceFixtures.rows(1 << 20), 3))),
                Arguments.of(run("decoder, token 5 at 5", small, TraceFixtures.decoderInputs(5, 5))),
                Arguments.of(run("decoder, token 299 at 15", small, TraceFixtures.decoderInputs(299, 15))),
                Arguments.of(run("decoder, token out of range", small, TraceFixtures.decoderInputs(300, 0))),
                Arguments.of(run("decoder, negative token and position", small, TraceFixtures.decoderInputs(-1, -4))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void everyStepProvesToTheEnginesStateHashWithOnlyTheRowsItReads(Run r) {
        CommittedProgram c = r.commitment();
        int rowCommittedSteps = 0;
        for (Step step : r.engine().plan()) {
            int s = step.index();
            State before = r.states().get(s);
            StepWitness.OpWitness w = OneStepProver.opWitness(c, step, before);
            Hash got = OneStepVerifier.opStep(c.root(), c.leafCount(), c.stepCount(), s, before.hash(), w);
            assertThat(got).as("%s: step %d", r.name(), s).isEqualTo(r.states().get(s + 1).hash());
            byte[] bytes = w.encode();
            StepWitness back = StepWitness.decode(bytes, bytes.length);
            assertThat(back.encode()).isEqualTo(bytes);
            assertThat(back).isEqualTo(w);
            assertThat(OneStepVerifier.opStep(c.root(), c.leafCount(), c.stepCount(), s, before.hash(),
                    (StepWitness.OpWitness) back)).isEqualTo(got);
            // the rows given are exactly those the step reads
            OpLeaf leaf = w.op();
            List<int[]> need = RowReads.rows(leaf, step.slice(), given(leaf, before));
            assertThat(w.rows()).hasSize(leaf.rowCommitted().size());
            for (int k = 0; k < need.size(); k++) {
                assertThat(w.rows().get(k).indices()).isEqualTo(need.get(k));
            }
            rowCommittedSteps += leaf.rowCommitted().isEmpty() ? 0 : 1;
        }
        assertThat(rowCommittedSteps).isPositive();
    }

    /**
     * The kernels read nothing of a tensor committed by rows outside the rows a step is given: rebuilt from exactly
     * those rows, with zeros or with noise everywhere else, it gives the step the output of the whole tensor, in the
     * scalar kernels the chain runs and in the vector ones.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void theKernelsReadNothingOutsideTheNamedRows(Run r) {
        Random rnd = new Random(9);
        for (Step step : r.engine().plan()) {
            OpLeaf leaf = r.commitment().opLeaf(step.opIndex());
            if (leaf.rowCommitted().isEmpty()) {
                continue;
            }
            State before = r.states().get(step.index());
            Tensor expected = r.engine().stepOutput(step.index(), before);
            List<int[]> need = RowReads.rows(leaf, step.slice(), given(leaf, before));
            TreeMap<String, Tensor> inputs = new TreeMap<>();
            for (String name : leaf.inputNames()) {
                inputs.put(name, before.tensor(name));
            }
            if (!step.firstSlice()) {
                inputs.put(step.output(), before.tensor(step.output()));
            }
            for (int fill = 0; fill < 2; fill++) {
                List<byte[]> rebuilt = new ArrayList<>();
                for (int k = 0; k < need.size(); k++) {
                    OpLeaf.CommittedTensor t = leaf.rowCommitted().get(k);
                    byte[] whole = leaf.rowCommittedBytes(k);
                    byte[] only = new byte[whole.length];
                    if (fill == 1) {
                        rnd.nextBytes(only);
                    }
                    int width = t.rowBytes();
                    for (int row : need.get(k)) {
                        System.arraycopy(whole, row * width, only, row * width, width);
                    }
                    rebuilt.add(only);
                }
                Program single = leaf.singleOpProgram(rebuilt);
                for (EngineOptions options : List.of(EngineOptions.SCALAR, EngineOptions.VECTORIZED)) {
                    Tensor got = new IntegerEngine(single, options).stepOutput(step.slice(), State.of(inputs));
                    assertThat(got).as("%s: step %d (%s), %s elsewhere, %s", r.name(), step.index(), leaf.op().kind(),
                            fill == 0 ? "zeros" : "noise", options).isEqualTo(expected);
                }
            }
        }
    }

    /** What the step is given in full: its non-constant inputs and the leaf's inline constants. */
    static SortedMap<String, Tensor> given(OpLeaf leaf, State before) {
        TreeMap<String, Tensor> m = new TreeMap<>();
        for (String name : leaf.inputNames()) {
            m.put(name, before.tensor(name));
        }
        for (OpLeaf.CommittedTensor c : leaf.constants()) {
            if (!c.byRows()) {
                m.put(c.spec().name(), c.value());
            }
        }
        return m;
    }

    @Test
    void exactlyTheTensorsOverTheThresholdAreCommittedByRows() {
        Program p = TraceFixtures.rows(97);
        ProgramCommitment c = new ProgramCommitment(p);
        List<String> byRows = new ArrayList<>();
        List<String> weights = new ArrayList<>();
        for (int i = 0; i < p.ops().size(); i++) {
            OpLeaf leaf = c.opLeaf(i);
            for (OpLeaf.CommittedTensor t : leaf.constants()) {
                long bytes = (long) t.spec().elementCount() * t.spec().dtype().width();
                assertThat(t.byRows()).isEqualTo(bytes > OpLeaf.ROWS_THRESHOLD_BYTES);
                assertThat(t.byRows() ? t.value() : t.value()).isNotNull(); // the prover's leaf holds every value
                if (t.byRows() && !byRows.contains(t.spec().name())) {
                    byRows.add(t.spec().name());
                }
            }
            if (leaf.weights() != null) {
                weights.add(leaf.weights().spec().name() + Arrays.toString(leaf.weights().spec().shape()));
            }
            OpLeaf back = OpLeaf.decode(leaf.encode());
            assertThat(back).isEqualTo(leaf);
            assertThat(back.encode()).isEqualTo(leaf.encode());
            assertThat(back.rowCommitted()).allMatch(t -> t.value() == null); // read back, a leaf holds no row of them
            assertThat(leaf.encode().length).as("biases and scales, no tensor over the threshold").isLessThan(8 * 1024);
        }
        assertThat(byRows).containsExactlyInAnyOrder("table", "table.copy", "w2", "kc", "big16", "idx", "column");
        assertThat(weights).containsExactly("h[256, 64]", "cv[64, 8, 3, 3]", "wide[300, 16]", "qflat[320, 64]");
        // the zoo's constants and weights are all small: its leaves commit nothing by rows
        ProgramCommitment zoo = new ProgramCommitment(TraceFixtures.zoo(7));
        for (int i = 0; i < zoo.leafCount() - 1; i++) {
            assertThat(zoo.opLeaf(i).rowCommitted()).isEmpty();
        }
    }

    @Test
    void eachOpReadsTheRowsItsOutputElementsNeed() {
        Run r = run("rows", TraceFixtures.rows(97), jobInput(TraceFixtures.rows(97), 4));
        TreeMap<String, List<int[]>> reads = new TreeMap<>();
        for (Step step : r.engine().plan()) {
            OpLeaf leaf = r.commitment().opLeaf(step.opIndex());
            if (!leaf.rowCommitted().isEmpty()) {
                reads.computeIfAbsent(step.output(), k -> new ArrayList<>())
                        .add(RowReads.rows(leaf, step.slice(), given(leaf, r.states().get(step.index()))).get(0));
            }
        }
        // QLinear x [1, 64] -> h [1, 256] in slices of 97: output features 0..96, 97..193, 194..255
        assertThat(reads.get("h")).containsExactly(range(0, 97), range(97, 194), range(194, 256));
        // QLinear x4 [4, 16] -> wide [4, 300]: slice 3 is elements 291..387, features 291..299 then 0..87
        int[] wrap = java.util.stream.IntStream.concat(java.util.stream.IntStream.range(0, 88),
                java.util.stream.IntStream.range(291, 300)).toArray();
        assertThat(reads.get("wide").get(3)).isEqualTo(wrap);
        // QConv2d -> cv [1, 64, 4, 4]: 16 elements per channel, slice 1 is elements 97..193, channels 6..12
        assertThat(reads.get("cv").get(1)).isEqualTo(range(6, 13));
        // Gather by ids {5, 299, -1, 5, 300, 17, 0}, 20 wide: slice 0 is elements 0..96 (ids 0..4), slice 1 the rest
        assertThat(reads.get("emb")).containsExactly(new int[] {5, 299}, new int[] {0, 17});
        // the tied head, emb x table^T -> logits [7, 300]: element e reads table row e mod 300
        assertThat(reads.get("logits").get(0)).isEqualTo(range(0, 97));
        assertThat(reads.get("logits").get(3)).isEqualTo(wrap);
        // emb x w2 [20, 260], not transposed: every column reads every row
        assertThat(reads.get("mm")).allMatch(rows -> Arrays.equals(rows, range(0, 20)));
        // rank 3: rows are batches; q3 x kc^T -> sc [8, 1, 16] in slices of 97: batches 0..6, then 6..7
        assertThat(reads.get("sc")).containsExactly(range(0, 7), range(6, 8));
        assertThat(reads.get("kcol")).containsExactly(range(0, 7), range(6, 8));
        // a transposed INT16 constant, and indices committed by rows into a table by rows: every row, every step
        assertThat(reads.get("big16t")).allMatch(rows -> Arrays.equals(rows, range(0, 33)));
        assertThat(reads.get("picked")).allMatch(rows -> Arrays.equals(rows, range(0, 5000)));
    }

    static int[] range(int from, int to) {
        return java.util.stream.IntStream.range(from, to).toArray();
    }

    /**
     * A decoder's step program with a 2048 x 128 token table, context 128 and a 128 -> 512 MLP, in slices of 256: every
     * op witness stays well under the chain's default limit of 128 KiB (with the table in the op leaf, the two steps that
     * read it took 263 KB each). A step's rows are at most its slice's elements, so the bound does not grow with the
     * vocabulary.
     */
    @Test
    void aDecodersLargestOpWitnessStaysWellUnderTheDefaultLimit() {
        Program p = TraceFixtures.decoder(2048, 128, 128, 512, 256);
        for (int[] tokenAt : new int[][] {{1234, 63}, {2047, 127}}) {
            Run r = run("decoder", p, TraceFixtures.decoderInputs(tokenAt[0], tokenAt[1]));
            CommittedProgram c = r.commitment();
            int largest = 0;
            for (Step step : r.engine().plan()) {
                State before = r.states().get(step.index());
                StepWitness.OpWitness w = OneStepProver.opWitness(c, step, before);
                byte[] bytes = w.encode();
                largest = Math.max(largest, bytes.length);
                assertThat(OneStepVerifier.opStep(c.root(), c.leafCount(), c.stepCount(), step.index(), before.hash(),
                        (StepWitness.OpWitness) StepWitness.decode(bytes, bytes.length)))
                        .isEqualTo(r.states().get(step.index() + 1).hash());
                if (w.op().op() instanceof dev.verity.inference.program.Gather) {
                    assertThat(bytes.length).as("a Gather step: one row and its path").isLessThan(2_000);
                }
                if (step.output().equals("logits")) {
                    // 256 of the table's rows and the partial logits, no longer the whole table
                    assertThat(bytes.length).isBetween(256 * 132, 256 * 132 + 2048 * 4 + 2_000);
                }
            }
            assertThat(largest).isLessThan(80 * 1024);
        }
    }

    @Test
    void aStepThatReadsNoRowGivesNone() {
        Program p = TraceFixtures.decoder(300, 16, 24, 200, 37);
        Run r = run("decoder", p, TraceFixtures.decoderInputs(-1, 16));
        Step gather = r.engine().plan().get(0);
        StepWitness.OpWitness w = OneStepProver.opWitness(r.commitment(), gather, r.states().get(0));
        assertThat(w.rows()).hasSize(1);
        assertThat(w.rows().get(0).rows()).isEmpty();
        assertThat(w.rows().get(0).proof()).isEmpty();
        assertThat(OneStepVerifier.opStep(r.commitment().root(), r.commitment().leafCount(), r.commitment().stepCount(), 0,
                r.states().get(0).hash(), w)).isEqualTo(r.states().get(1).hash());
        TensorSpec table = w.op().rowCommitted().get(0).spec();
        assertThat(table.name()).isEqualTo("token_embedding");
    }
}
