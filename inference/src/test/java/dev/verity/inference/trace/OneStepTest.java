package dev.verity.inference.trace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.core.Hash;
import dev.verity.core.Merkle;
import dev.verity.core.Sha256;
import dev.verity.inference.TestPrograms;
import dev.verity.inference.engine.EngineOptions;
import dev.verity.inference.engine.IntegerEngine;
import dev.verity.inference.engine.RunResult;
import dev.verity.inference.engine.State;
import dev.verity.inference.program.Program;
import dev.verity.inference.program.Tensor;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OneStepTest {

    static Stream<Arguments> programs() {
        return Stream.of(
                Arguments.of("zoo, slices of 7", TraceFixtures.zoo(7)),
                Arguments.of("zoo, slices of 40", TraceFixtures.zoo(40)),
                Arguments.of("zoo, one step per op", TraceFixtures.zoo(1 << 20)),
                Arguments.of("attention, slices of 5", TestPrograms.attention(5)),
                Arguments.of("attention, one step per op", TestPrograms.attention(1 << 20)),
                Arguments.of("rows committed, slices of 97", TraceFixtures.rows(97)),
                Arguments.of("rows committed, one step per op", TraceFixtures.rows(1 << 20)),
                Arguments.of("liveness", TraceFixtures.liveness()),
                Arguments.of("unread input", TraceFixtures.unreadInput()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("programs")
    void everyTransitionOfARunIsProvenByItsWitness(String name, Program program) {
        IntegerEngine engine = new IntegerEngine(program, EngineOptions.VECTORIZED);
        ProgramCommitment c = new ProgramCommitment(program);
        int n = engine.plan().size();
        assertThat(c.stepCount()).isEqualTo(n);
        assertThat(c.leafCount()).isEqualTo(1 + program.ops().size());
        for (long seed = 0; seed < 2; seed++) {
            byte[] job = TraceFixtures.jobInput(program, seed);
            TraceValues trace = TraceValues.compute(engine, job);
            assertThat(trace.values()).hasSize(n + 2);
            for (int index = 0; index <= n + 1; index++) {
                StepWitness w = OneStepProver.witness(engine, c, job, index);
                Hash previous = index == 0 ? null : trace.values().get(index - 1);
                Hash got = OneStepVerifier.transition(c.root(), c.leafCount(), n, index, previous, job, w);
                assertThat(got).as("%s: index %d of %d", name, index, n + 1).isEqualTo(trace.values().get(index));
                // and after a round trip through the bytes
                byte[] bytes = w.encode();
                StepWitness back = StepWitness.decode(bytes, bytes.length);
                assertThat(back.encode()).isEqualTo(bytes);
                assertThat(back).isEqualTo(w);
                assertThat(OneStepVerifier.transition(c.root(), c.leafCount(), n, index, previous, job, back)).isEqualTo(got);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("programs")
    void traceValuesAreTheRunsStateHashesAndTheOutputHash(String name, Program program) {
        IntegerEngine engine = new IntegerEngine(program, EngineOptions.SCALAR);
        byte[] job = TraceFixtures.jobInput(program, 5);
        TraceValues trace = TraceValues.compute(engine, job);
        TreeMap<String, Tensor> in = new TreeMap<>();
        String input = program.inputs().get(0);
        in.put(input, IoQuantization.quantizeInput(job, program.tensor(input)));
        RunResult run = engine.run(in);
        int n = engine.plan().size();
        assertThat(trace.values().get(0)).isEqualTo(run.inputHash());
        assertThat(trace.values().subList(1, n + 1)).isEqualTo(run.stepHashes());
        String out = program.outputs().get(0);
        byte[] expected = IoQuantization.dequantizeOutput(run.outputs().get(out), program.tensor(out));
        assertThat(trace.output()).isEqualTo(expected);
        assertThat(trace.values().get(n + 1)).isEqualTo(Sha256.digest(expected));
        for (int i = 0; i <= n; i++) {
            assertThat(TraceValues.stateAt(engine, job, i).hash()).isEqualTo(trace.values().get(i));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("programs")
    void theCommitmentsLeavesProveAndRoundTrip(String name, Program program) {
        ProgramCommitment c = new ProgramCommitment(program);
        assertThat(new ProgramCommitment(program).root()).isEqualTo(c.root());
        IoLeaf io = c.ioLeaf();
        assertThat(IoLeaf.decode(io.encode())).isEqualTo(io);
        assertThat(Merkle.verify(c.root(), c.leafCount(), 0, Merkle.leaf(io.encode()), c.ioPath())).isTrue();
        assertThat(io.input().name()).isEqualTo(program.inputs().get(0));
        assertThat(io.output().name()).isEqualTo(program.outputs().get(0));
        IntegerEngine engine = new IntegerEngine(program, EngineOptions.SCALAR);
        for (int i = 0; i < program.ops().size(); i++) {
            OpLeaf op = c.opLeaf(i);
            assertThat(OpLeaf.decode(op.encode())).isEqualTo(op);
            assertThat(OpLeaf.decode(op.encode()).encode()).isEqualTo(op.encode());
            assertThat(Merkle.verify(c.root(), c.leafCount(), 1 + i, Merkle.leaf(op.encode()), c.opPath(i))).isTrue();
            assertThat(Merkle.verify(c.root(), c.leafCount(), 1 + i, Merkle.leaf(op.encode()), c.ioPath())).isFalse();
            for (int s = op.firstStep(); s < op.firstStep() + op.sliceCount(); s++) {
                assertThat(c.opOfStep(s)).isEqualTo(i);
                assertThat(engine.plan().get(s).opIndex()).isEqualTo(i);
            }
            assertThat(op.stateNames()).isEqualTo(engine.namesAfter(op.firstStep() - 1));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("programs")
    void statesHoldWhatTheOpLeavesSay(String name, Program program) {
        IntegerEngine engine = new IntegerEngine(program, EngineOptions.SCALAR);
        ProgramCommitment c = new ProgramCommitment(program);
        State state = TraceValues.stateAt(engine, TraceFixtures.jobInput(program, 1), 0);
        for (int s = 0; s < engine.plan().size(); s++) {
            assertThat(state.names()).isEqualTo(engine.namesAfter(s - 1));
            state = engine.runStep(s, state).state();
        }
        assertThat(state.names()).isEqualTo(c.ioLeaf().outputNames());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("programs")
    void witnessesGiveFullTensorsOnlyWhereTheStepReads(String name, Program program) {
        IntegerEngine engine = new IntegerEngine(program, EngineOptions.SCALAR);
        ProgramCommitment c = new ProgramCommitment(program);
        byte[] job = TraceFixtures.jobInput(program, 2);
        for (int index = 1; index <= engine.plan().size(); index++) {
            StepWitness.OpWitness w = (StepWitness.OpWitness) OneStepProver.witness(engine, c, job, index);
            var step = engine.plan().get(index - 1);
            List<String> full = w.preState().stream().filter(WitnessTensor::isFull).map(WitnessTensor::name).toList();
            TreeSet<String> want = new TreeSet<>(program.ops().get(step.opIndex()).inputs());
            program.constants().forEach(k -> want.remove(k.name()));
            if (!step.firstSlice()) {
                want.add(step.output());
            }
            assertThat(full).isEqualTo(List.copyOf(want));
        }
    }

    @Test
    void opLeavesRecordWhatEachOpDrops() {
        ProgramCommitment unread = new ProgramCommitment(TraceFixtures.unreadInput());
        assertThat(unread.opLeaf(0).stateNames()).containsExactly("x");
        assertThat(unread.opLeaf(0).dropFirst()).containsExactly("x");
        assertThat(unread.opLeaf(0).sliceCount()).isEqualTo(3);
        ProgramCommitment live = new ProgramCommitment(TraceFixtures.liveness());
        // 0: x -> a, 1: a*a -> m, 2: x -> dead, 3: m + x -> z; outputs z, a
        assertThat(live.opLeaf(0).dropAfter()).isEmpty();
        assertThat(live.opLeaf(1).dropAfter()).isEmpty(); // a is a program output
        assertThat(live.opLeaf(1).inputNames()).containsExactly("a");
        assertThat(live.opLeaf(2).outputKept()).isFalse();
        assertThat(live.opLeaf(3).dropAfter()).containsExactly("m", "x");
        assertThat(live.opLeaf(3).stateNames()).containsExactly("a", "m", "x");
        assertThat(live.ioLeaf().outputNames()).containsExactly("a", "z");
        assertThat(live.ioLeaf().output().name()).isEqualTo("z");
    }
}
