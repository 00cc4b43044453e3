package dev.verity.inference.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verity.core.DecodingException;
import dev.verity.core.Hash;
import dev.verity.core.Merkle;
import dev.verity.core.Sha256;
import dev.verity.inference.engine.EngineOptions;
import dev.verity.inference.engine.IntegerEngine;
import dev.verity.inference.program.Program;
import dev.verity.inference.program.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class OneStepRejectionTest {
    static final Program PROGRAM = TraceFixtures.zoo(7);
    static final IntegerEngine ENGINE = new IntegerEngine(PROGRAM, EngineOptions.SCALAR);
    static final ProgramCommitment C = new ProgramCommitment(PROGRAM);
    static final byte[] JOB = TraceFixtures.jobInput(PROGRAM, 11);
    static final TraceValues TRACE = TraceValues.compute(ENGINE, JOB);
    static final int N = C.stepCount();

    /**
     * The index after a step that is not its op's first slice (it reads its inputs and its own partial output)
     * and whose state also holds tensors it does not read.
     */
    static int slicedIndex() {
        for (int s = 0; s < N; s++) {
            if (ENGINE.plan().get(s).slice() == 2 && opWitness(s + 1).preState().stream().anyMatch(t -> !t.isFull())) {
                return s + 1;
            }
        }
        throw new AssertionError("no sliced op");
    }

    static Hash run(int index, Hash previous, StepWitness w) {
        return OneStepVerifier.transition(C.root(), C.leafCount(), N, index, previous, JOB, w);
    }

    static AbstractThrowableAssert<?, ? extends Throwable> rejects(int index, Hash previous, StepWitness w) {
        return assertThatThrownBy(() -> run(index, previous, w)).isInstanceOf(StepRejectedException.class);
    }

    static Hash prev(int index) {
        return TRACE.values().get(index - 1);
    }

    static StepWitness.OpWitness opWitness(int index) {
        return (StepWitness.OpWitness) OneStepProver.witness(ENGINE, C, JOB, index);
    }

    static StepWitness.OpWitness withPreState(StepWitness.OpWitness w, List<WitnessTensor> pre) {
        return new StepWitness.OpWitness(w.op(), w.opPath(), pre, w.rows());
    }

    @Test
    void aTamperedTensorValueIsRejected() {
        int index = slicedIndex();
        StepWitness.OpWitness w = opWitness(index);
        assertThat(run(index, prev(index), w)).isEqualTo(TRACE.values().get(index));
        List<WitnessTensor> pre = new ArrayList<>(w.preState());
        for (int k = 0; k < pre.size(); k++) {
            WitnessTensor t = pre.get(k);
            if (t.isFull()) {
                int[] v = t.tensor().values();
                v[v.length / 2] = v[v.length / 2] == 0 ? 1 : 0;
                pre.set(k, WitnessTensor.full(t.name(), Tensor.of(t.tensor().dtype(), t.tensor().shape(), v)));
                break;
            }
        }
        rejects(index, prev(index), withPreState(w, pre)).hasMessageContaining("does not hash to the agreed value");
    }

    @Test
    void aTamperedLeafHashIsRejected() {
        int index = slicedIndex();
        StepWitness.OpWitness w = opWitness(index);
        List<WitnessTensor> pre = new ArrayList<>(w.preState());
        int k = 0;
        while (pre.get(k).isFull()) {
            k++;
        }
        pre.set(k, WitnessTensor.hashed(pre.get(k).name(), Sha256.digest(new byte[] {1})));
        rejects(index, prev(index), withPreState(w, pre)).hasMessageContaining("does not hash to the agreed value");
    }

    @Test
    void aWrongAgreedValueIsRejected() {
        for (int index : new int[] {1, slicedIndex(), N}) {
            rejects(index, Sha256.digest(new byte[] {2}), opWitness(index)).hasMessageContaining("does not hash to the agreed value");
        }
        StepWitness out = OneStepProver.witness(ENGINE, C, JOB, N + 1);
        assertThat(run(N + 1, prev(N + 1), out)).isEqualTo(Sha256.digest(TRACE.output()));
        rejects(N + 1, prev(N), out).hasMessageContaining("final state does not hash to the agreed value");
        assertThatThrownBy(() -> run(3, null, opWitness(3))).hasMessageContaining("needs the agreed value");
    }

    @Test
    void aWitnessForAnotherStepIsRejected() {
        int index = slicedIndex();
        // the next slice of the same op: same names, same reads, but another state
        rejects(index + 1, prev(index + 1), opWitness(index)).hasMessageContaining("does not hash to the agreed value");
        // a step of another op
        rejects(1, prev(1), opWitness(index)).hasMessageContaining("is not one of op");
        // the wrong kind of witness for the index
        rejects(0, null, opWitness(1)).hasMessageContaining("index 0 needs an input witness");
        rejects(N + 1, prev(N + 1), opWitness(N)).hasMessageContaining("needs an output witness");
        rejects(1, prev(1), OneStepProver.witness(ENGINE, C, JOB, 0)).hasMessageContaining("needs an op witness");
        rejects(N + 2, prev(N + 1), OneStepProver.witness(ENGINE, C, JOB, N + 1)).hasMessageContaining("outside 0..");
        rejects(-1, null, OneStepProver.witness(ENGINE, C, JOB, 0)).hasMessageContaining("outside 0..");
    }

    @Test
    void anOpLeafFromAnotherProgramIsRejected() {
        Program other = TraceFixtures.zoo(5);
        IntegerEngine otherEngine = new IntegerEngine(other, EngineOptions.SCALAR);
        ProgramCommitment oc = new ProgramCommitment(other);
        StepWitness w = OneStepProver.witness(otherEngine, oc, JOB, 1);
        rejects(1, prev(1), w).hasMessageContaining("op leaf 0 is not proven");
        // its own witness proves against its own root
        assertThat(OneStepVerifier.transition(oc.root(), oc.leafCount(), oc.stepCount(), 1, TraceValues.compute(otherEngine, JOB)
                .values().get(0), JOB, w)).isEqualTo(TraceValues.compute(otherEngine, JOB).values().get(1));
        StepWitness io = OneStepProver.witness(otherEngine, oc, JOB, 0);
        rejects(0, null, io).hasMessageContaining("io leaf is not proven");
    }

    @Test
    void aTamperedPathIsRejected() {
        int index = slicedIndex();
        StepWitness.OpWitness w = opWitness(index);
        for (int k = 0; k < w.opPath().size(); k++) {
            List<Hash> path = new ArrayList<>(w.opPath());
            path.set(k, Sha256.digest(new byte[] {3}));
            rejects(index, prev(index), new StepWitness.OpWitness(w.op(), path, w.preState(), w.rows())).hasMessageContaining("not proven");
        }
        rejects(index, prev(index), new StepWitness.OpWitness(w.op(), w.opPath().subList(1, w.opPath().size()), w.preState(), w.rows()))
                .hasMessageContaining("not proven");
        StepWitness.InputWitness in = (StepWitness.InputWitness) OneStepProver.witness(ENGINE, C, JOB, 0);
        List<Hash> path = new ArrayList<>(in.ioPath());
        path.add(path.get(0));
        rejects(0, null, new StepWitness.InputWitness(in.io(), path)).hasMessageContaining("io leaf is not proven");
        // the right path, but a leaf count without that op, or the wrong step count
        assertThatThrownBy(() -> OneStepVerifier.transition(C.root(), 1 + w.op().opIndex(), N, index, prev(index), JOB, w))
                .hasMessageContaining("not proven");
        assertThatThrownBy(() -> OneStepVerifier.transition(C.root(), C.leafCount(), N + 1, 0, null, JOB, in))
                .hasMessageContaining("the io leaf describes " + N + " steps");
    }

    @Test
    void renamedOrMisplacedTensorsAreRejected() {
        int index = slicedIndex();
        StepWitness.OpWitness w = opWitness(index);
        List<WitnessTensor> pre = new ArrayList<>(w.preState());
        // a hashed tensor under another name: its leaf still hashes, but the committed names do not match
        int k = 0;
        while (pre.get(k).isFull()) {
            k++;
        }
        WitnessTensor h = pre.get(k);
        pre.set(k, WitnessTensor.hashed(h.name() + "~", h.contentHash()));
        rejects(index, prev(index), withPreState(w, pre)).hasMessageContaining("the state holds");
        // a tensor the step reads given as a hash
        pre = new ArrayList<>(w.preState());
        k = 0;
        while (!pre.get(k).isFull()) {
            k++;
        }
        WitnessTensor f = pre.get(k);
        pre.set(k, WitnessTensor.hashed(f.name(), f.leaf()));
        rejects(index, prev(index), withPreState(w, pre)).hasMessageContaining("must be given in full");
        // a tensor the step does not read given in full
        StepWitness.OpWitness first = opWitness(1);
        List<WitnessTensor> pre1 = new ArrayList<>(first.preState());
        assertThat(pre1).allMatch(WitnessTensor::isFull); // step 0 reads the input, the only tensor
        int later = slicedIndex();
        List<WitnessTensor> extra = new ArrayList<>();
        var state = TraceValues.stateAt(ENGINE, JOB, later - 1);
        for (WitnessTensor t : opWitness(later).preState()) {
            extra.add(WitnessTensor.full(t.name(), state.tensor(t.name())));
        }
        if (extra.size() > opWitness(later).preState().stream().filter(WitnessTensor::isFull).count()) {
            rejects(later, prev(later), withPreState(opWitness(later), extra)).hasMessageContaining("as a content hash");
        }
        // a missing tensor
        pre = new ArrayList<>(w.preState());
        pre.remove(pre.size() - 1);
        rejects(index, prev(index), withPreState(w, pre)).hasMessageContaining("the state holds");
    }

    @Test
    void theOutputWitnessMustGiveTheFirstOutputInFull() {
        StepWitness.OutputWitness w = (StepWitness.OutputWitness) OneStepProver.witness(ENGINE, C, JOB, N + 1);
        assertThat(w.finalState()).extracting(WitnessTensor::name).containsExactly("probs", "sm2");
        List<WitnessTensor> hashed = w.finalState().stream().map(t -> WitnessTensor.hashed(t.name(), t.leaf())).toList();
        rejects(N + 1, prev(N + 1), new StepWitness.OutputWitness(w.io(), w.ioPath(), hashed))
                .hasMessageContaining("must be given in full");
    }

    @Test
    void aJobInputOfTheWrongSizeIsRejected() {
        StepWitness in = OneStepProver.witness(ENGINE, C, JOB, 0);
        assertThatThrownBy(() -> OneStepVerifier.transition(C.root(), C.leafCount(), N, 0, null, Arrays.copyOf(JOB, 12), in))
                .isInstanceOf(StepRejectedException.class).hasMessageContaining("job input").hasMessageContaining("got 12 bytes");
    }

    @Test
    void onlyIndexZeroReadsTheJobInput() {
        int index = slicedIndex();
        assertThat(OneStepVerifier.transition(C.root(), C.leafCount(), N, index, prev(index), null, opWitness(index)))
                .isEqualTo(TRACE.values().get(index));
        assertThatThrownBy(() -> OneStepVerifier.transition(C.root(), C.leafCount(), N, 0, null, null,
                OneStepProver.witness(ENGINE, C, JOB, 0))).isInstanceOf(StepRejectedException.class)
                .hasMessageContaining("index 0 needs the job input");
    }

    // ------------------------------------------------------------------ decoding

    @Test
    void truncatedWitnessesAreDecodingExceptions() {
        for (int index : new int[] {0, slicedIndex(), N + 1}) {
            byte[] bytes = OneStepProver.witness(ENGINE, C, JOB, index).encode();
            for (int n = 0; n < bytes.length; n += Math.max(1, n / 40)) {
                byte[] cut = Arrays.copyOf(bytes, n);
                assertThatThrownBy(() -> StepWitness.decode(cut, 1 << 20)).isInstanceOf(DecodingException.class)
                        .satisfies(e -> assertThat(e.getMessage()).isNotBlank());
            }
            byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
            assertThatThrownBy(() -> StepWitness.decode(longer, 1 << 20)).isInstanceOf(DecodingException.class)
                    .hasMessageContaining("trailing");
        }
    }

    @Test
    void oversizedWitnessesAreRefusedBeforeDecoding() {
        byte[] bytes = OneStepProver.witness(ENGINE, C, JOB, slicedIndex()).encode();
        assertThat(StepWitness.decode(bytes, bytes.length).encode()).isEqualTo(bytes);
        assertThatThrownBy(() -> StepWitness.decode(bytes, bytes.length - 1)).isInstanceOf(DecodingException.class)
                .hasMessageContaining("witness is " + bytes.length + " bytes, more than the limit of " + (bytes.length - 1));
    }

    @Test
    void garbageIsADecodingExceptionWithAMessage() {
        assertThatThrownBy(() -> StepWitness.decode(new byte[] {9, 0, 0}, 100)).isInstanceOf(DecodingException.class)
                .hasMessageContaining("unknown witness tag 9");
        assertThatThrownBy(() -> StepWitness.decode(new byte[0], 100)).isInstanceOf(DecodingException.class)
                .hasMessageContaining("truncated");
        // an io leaf under the wrong tag
        byte[] op = OneStepProver.witness(ENGINE, C, JOB, 1).encode();
        byte[] swapped = op.clone();
        swapped[0] = 1;
        assertThatThrownBy(() -> StepWitness.decode(swapped, 1 << 20)).isInstanceOf(DecodingException.class)
                .hasMessageContaining("io leaf: tag 'verity.inference.trace.op.v2'");
        // a tensor claiming far more elements than the bytes hold
        StepWitness.OutputWitness w = (StepWitness.OutputWitness) OneStepProver.witness(ENGINE, C, JOB, N + 1);
        byte[] ok = w.encode();
        byte[] huge = ok.clone();
        int at = lastIndexOf(huge, new byte[] {0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 10}); // tensor probs: rank 2, [1, 10]
        assertThat(at).isPositive();
        huge[at + 8] = 0x7F;
        assertThatThrownBy(() -> StepWitness.decode(huge, 1 << 20)).isInstanceOf(DecodingException.class)
                .hasMessageContaining("needs").hasMessageContaining("bytes of elements");
        Random rnd = new Random(1);
        int refused = 0;
        for (int trial = 0; trial < 2000; trial++) {
            byte[] bad = ok.clone();
            bad[rnd.nextInt(bad.length)] ^= (byte) (1 << rnd.nextInt(8));
            try {
                StepWitness back = StepWitness.decode(bad, 1 << 20);
                assertThat(back.encode()).isEqualTo(bad); // whatever decodes is canonical
            } catch (DecodingException e) {
                refused++;
                assertThat(e.getMessage()).isNotBlank();
            }
        }
        assertThat(refused).isPositive();
    }

    @Test
    void leafEncodingsAreStrict() {
        byte[] io = C.ioLeaf().encode();
        assertThatThrownBy(() -> IoLeaf.decode(Arrays.copyOf(io, io.length + 1))).isInstanceOf(DecodingException.class)
                .hasMessageContaining("trailing");
        byte[] op = C.opLeaf(3).encode();
        assertThatThrownBy(() -> OpLeaf.decode(Arrays.copyOf(op, op.length - 1))).isInstanceOf(DecodingException.class);
        assertThatThrownBy(() -> OpLeaf.decode(io)).isInstanceOf(DecodingException.class).hasMessageContaining("tag");
        assertThat(Merkle.leaf(op)).isNotEqualTo(Merkle.leaf(io));
    }

    static int lastIndexOf(byte[] a, byte[] pattern) {
        for (int i = a.length - pattern.length; i >= 0; i--) {
            if (Arrays.equals(a, i, i + pattern.length, pattern, 0, pattern.length)) {
                return i;
            }
        }
        return -1;
    }
}
