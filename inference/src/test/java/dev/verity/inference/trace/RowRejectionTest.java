package dev.verity.inference.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verity.core.DecodingException;
import dev.verity.core.Encoder;
import dev.verity.core.Hash;
import dev.verity.core.Sha256;
import dev.verity.inference.engine.EngineOptions;
import dev.verity.inference.engine.IntegerEngine;
import dev.verity.inference.engine.Step;
import dev.verity.inference.program.DType;
import dev.verity.inference.program.Program;
import dev.verity.inference.program.ProgramCodec;
import dev.verity.inference.program.Quantization;
import dev.verity.inference.program.Tensor;
import dev.verity.inference.program.TensorSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/**
 * A witness whose rows are not exactly the rows its step reads, each proven, is refused with a message that says what
 * is wrong, and nothing is computed from it; the rows' encoding is strict.
 */
class RowRejectionTest {
    static final Program PROGRAM = TraceFixtures.rows(97);
    static final IntegerEngine ENGINE = new IntegerEngine(PROGRAM, EngineOptions.SCALAR);
    static final ProgramCommitment C = new ProgramCommitment(PROGRAM);
    static final byte[] JOB = TraceFixtures.jobInput(PROGRAM, 12);
    static final TraceValues TRACE = TraceValues.compute(ENGINE, JOB);

    /** The trace index of slice {@code slice} of the op writing {@code output}. */
    static int index(String output, int slice) {
        for (Step s : ENGINE.plan()) {
            if (s.output().equals(output) && s.slice() == slice) {
                return s.index() + 1;
            }
        }
        throw new AssertionError("no slice " + slice + " of " + output);
    }

    static StepWitness.OpWitness witness(int index) {
        return (StepWitness.OpWitness) OneStepProver.witness(ENGINE, C, JOB, index);
    }

    static Hash run(int index, StepWitness w) {
        return OneStepVerifier.transition(C.root(), C.leafCount(), C.stepCount(), index, TRACE.values().get(index - 1), JOB, w);
    }

    /** Refused as it is, and again after its bytes round-trip (every witness here encodes). */
    static AbstractThrowableAssert<?, ? extends Throwable> rejects(int index, StepWitness.OpWitness w) {
        byte[] bytes = w.encode();
        StepWitness back = StepWitness.decode(bytes, bytes.length);
        assertThatThrownBy(() -> run(index, back)).isInstanceOf(StepRejectedException.class);
        return assertThatThrownBy(() -> run(index, w)).isInstanceOf(StepRejectedException.class);
    }

    static StepWitness.OpWitness withRows(StepWitness.OpWitness w, int k, List<WitnessRows.Row> rows, List<Hash> proof) {
        List<WitnessRows> all = new ArrayList<>(w.rows());
        all.set(k, new WitnessRows(rows, proof));
        return new StepWitness.OpWitness(w.op(), w.opPath(), w.preState(), all);
    }

    static WitnessRows.Row row(OpLeaf leaf, int k, int r) {
        byte[] whole = leaf.rowCommittedBytes(k);
        int width = leaf.rowCommitted().get(k).rowBytes();
        return new WitnessRows.Row(r, Arrays.copyOfRange(whole, r * width, (r + 1) * width));
    }

    /** Slice 1 of the tied head reads table rows 97..193; its leaf commits the table by rows. */
    static final int HEAD = index("logits", 1);

    @Test
    void theHonestWitnessProves() {
        StepWitness.OpWitness w = witness(HEAD);
        assertThat(run(HEAD, w)).isEqualTo(TRACE.values().get(HEAD));
        assertThat(w.rows()).hasSize(1);
        assertThat(w.rows().get(0).indices()).isEqualTo(java.util.stream.IntStream.range(97, 194).toArray());
        assertThat(w.rows().get(0).proof()).isNotEmpty().hasSizeLessThanOrEqualTo(2 * 9);
    }

    @Test
    void aMissingRowIsRefused() {
        StepWitness.OpWitness w = witness(HEAD);
        List<WitnessRows.Row> rows = new ArrayList<>(w.rows().get(0).rows());
        rows.remove(40); // row 137
        rejects(HEAD, withRows(w, 0, rows, w.rows().get(0).proof()))
                .hasMessageContaining("tensor 'table' (committed by rows): row 137, which step " + (HEAD - 1) + " reads, is missing");
        rows = new ArrayList<>(w.rows().get(0).rows());
        rows.remove(rows.size() - 1);
        rejects(HEAD, withRows(w, 0, rows, w.rows().get(0).proof())).hasMessageContaining("row 193, which step");
        rejects(HEAD, withRows(w, 0, List.of(), List.of())).hasMessageContaining("row 97, which step");
    }

    @Test
    void anExtraRowIsRefusedEvenWhenProven() {
        StepWitness.OpWitness w = witness(HEAD);
        OpLeaf leaf = C.opLeaf(w.op().opIndex());
        // rows 96..193, each genuine, with their genuine multi-proof: still one row more than the step reads
        int[] more = java.util.stream.IntStream.range(96, 194).toArray();
        List<WitnessRows.Row> rows = new ArrayList<>();
        for (int r : more) {
            rows.add(row(leaf, 0, r));
        }
        List<Hash> proof = RowCommitment.prove(RowCommitment.leaves(leaf.rowCommitted().get(0).spec(), leaf.rowCommittedBytes(0)), more);
        rejects(HEAD, withRows(w, 0, rows, proof))
                .hasMessageContaining("row 96 is given, but step " + (HEAD - 1) + " does not read it");
        List<WitnessRows.Row> plusOne = new ArrayList<>(w.rows().get(0).rows());
        plusOne.add(row(leaf, 0, 250));
        rejects(HEAD, withRows(w, 0, plusOne, w.rows().get(0).proof())).hasMessageContaining("row 250 is given, but step");
    }

    @Test
    void aDuplicatedRowIsRefused() {
        StepWitness.OpWitness w = witness(HEAD);
        List<WitnessRows.Row> rows = new ArrayList<>(w.rows().get(0).rows());
        rows.add(10, rows.get(10));
        rejects(HEAD, withRows(w, 0, rows, w.rows().get(0).proof())).hasMessageContaining("row 107 is given twice");
    }

    @Test
    void reorderedRowsAreRefused() {
        StepWitness.OpWitness w = witness(HEAD);
        List<WitnessRows.Row> rows = new ArrayList<>(w.rows().get(0).rows());
        WitnessRows.Row a = rows.get(3);
        rows.set(3, rows.get(4));
        rows.set(4, a);
        rejects(HEAD, withRows(w, 0, rows, w.rows().get(0).proof()))
                .hasMessageContaining("rows must be given in ascending order, row 100 comes after row 101");
        List<WitnessRows.Row> reversed = new ArrayList<>(w.rows().get(0).rows());
        java.util.Collections.reverse(reversed);
        rejects(HEAD, withRows(w, 0, reversed, w.rows().get(0).proof())).hasMessageContaining("ascending order");
    }

    @Test
    void aRowOutOfRangeIsRefused() {
        StepWitness.OpWitness w = witness(HEAD);
        List<WitnessRows.Row> rows = new ArrayList<>(w.rows().get(0).rows());
        rows.add(new WitnessRows.Row(300, rows.get(0).bytes()));
        rejects(HEAD, withRows(w, 0, rows, w.rows().get(0).proof())).hasMessageContaining("row 300 is outside its 300 rows");
        rows.set(rows.size() - 1, new WitnessRows.Row(Integer.MAX_VALUE, rows.get(0).bytes()));
        rejects(HEAD, withRows(w, 0, rows, w.rows().get(0).proof())).hasMessageContaining("is outside its 300 rows");
    }

    @Test
    void aRowWithOtherBytesOrAnotherProofIsRefused() {
        StepWitness.OpWitness w = witness(HEAD);
        List<Hash> proof = w.rows().get(0).proof();
        List<WitnessRows.Row> rows = new ArrayList<>(w.rows().get(0).rows());
        byte[] b = rows.get(50).bytes();
        b[7] ^= 1;
        rows.set(50, new WitnessRows.Row(147, b));
        rejects(HEAD, withRows(w, 0, rows, proof))
                .hasMessageContaining("tensor 'table' (committed by rows): rows [97, 98, ..., 193] (97) are not proven");
        List<WitnessRows.Row> honest = w.rows().get(0).rows();
        for (int k = 0; k < proof.size(); k++) {
            List<Hash> changed = new ArrayList<>(proof);
            changed.set(k, Sha256.digest(new byte[] {(byte) k}));
            rejects(HEAD, withRows(w, 0, honest, changed)).hasMessageContaining("are not proven");
        }
        rejects(HEAD, withRows(w, 0, honest, proof.subList(1, proof.size()))).hasMessageContaining("are not proven");
        List<Hash> longer = new ArrayList<>(proof);
        longer.add(proof.get(0));
        rejects(HEAD, withRows(w, 0, honest, longer)).hasMessageContaining("are not proven");
        List<WitnessRows.Row> narrow = new ArrayList<>(honest);
        narrow.set(0, new WitnessRows.Row(97, new byte[5]));
        assertThatThrownBy(() -> run(HEAD, withRows(w, 0, narrow, proof))).isInstanceOf(StepRejectedException.class)
                .hasMessageContaining("row 97 has 5 bytes, a row has 20");
    }

    /**
     * {@code table.copy} holds the same values as {@code table}, and both Gathers read rows 5 and 299 in slice 0: the
     * rows and proof of one, each genuine, do not prove the other, because a row's leaf binds its tensor's name.
     */
    @Test
    void rowsProvenForAnotherTensorAreRefused() {
        int emb = index("emb", 0);
        int copy = index("emb.copy", 0);
        StepWitness.OpWitness a = witness(emb);
        StepWitness.OpWitness b = witness(copy);
        assertThat(run(emb, a)).isEqualTo(TRACE.values().get(emb));
        assertThat(run(copy, b)).isEqualTo(TRACE.values().get(copy));
        assertThat(a.rows().get(0).indices()).containsExactly(5, 299).isEqualTo(b.rows().get(0).indices());
        assertThat(a.rows().get(0).rows()).isEqualTo(b.rows().get(0).rows()); // the same bytes
        rejects(copy, withRows(b, 0, a.rows().get(0).rows(), a.rows().get(0).proof()))
                .hasMessageContaining("tensor 'table.copy' (committed by rows): rows [5, 299] are not proven");
        rejects(emb, withRows(a, 0, b.rows().get(0).rows(), b.rows().get(0).proof()))
                .hasMessageContaining("tensor 'table' (committed by rows): rows [5, 299] are not proven");
        // the rows of another step, of another tensor, in place of the head's
        StepWitness.OpWitness head = witness(HEAD);
        rejects(HEAD, withRows(head, 0, b.rows().get(0).rows(), b.rows().get(0).proof()))
                .hasMessageContaining("row 5 is given, but step " + (HEAD - 1) + " does not read it");
    }

    @Test
    void rowsForTheWrongNumberOfTensorsAreRefused() {
        StepWitness.OpWitness w = witness(HEAD);
        StepWitness.OpWitness none = new StepWitness.OpWitness(w.op(), w.opPath(), w.preState(), List.of());
        assertThatThrownBy(() -> run(HEAD, none)).isInstanceOf(StepRejectedException.class)
                .hasMessageContaining("the witness gives rows of 0 tensors, op leaf " + w.op().opIndex() + " commits 1 by rows");
        byte[] bytes = none.encode();
        assertThatThrownBy(() -> StepWitness.decode(bytes, bytes.length)).isInstanceOf(DecodingException.class)
                .hasMessageContaining("the witness gives rows of 0 tensors, op leaf " + w.op().opIndex() + " commits 1 by rows");
        // a step of an op that commits nothing by rows, given rows
        StepWitness.OpWitness plain = witness(index("hs", 0));
        assertThat(plain.rows()).isEmpty();
        StepWitness.OpWitness extra = new StepWitness.OpWitness(plain.op(), plain.opPath(), plain.preState(), w.rows());
        assertThatThrownBy(() -> run(index("hs", 0), extra)).isInstanceOf(StepRejectedException.class)
                .hasMessageContaining("gives rows of 1 tensors, op leaf " + plain.op().opIndex() + " commits 0 by rows");
    }

    @Test
    void aStepThatReadsNoRowTakesNoRowAndNoProof() {
        Program p = TraceFixtures.decoder(300, 16, 24, 200, 37);
        TestCommitment c = new TestCommitment(p);
        var before = c.engine.initialState(TraceFixtures.decoderInputs(300, 3)); // token out of range: no row
        Step gather = c.engine.plan().get(0);
        Hash after = c.engine.runStep(0, before).stateHash();
        StepWitness.OpWitness w = OneStepProver.opWitness(c, gather, before);
        assertThat(OneStepVerifier.opStep(c.root(), c.leafCount(), c.stepCount(), 0, before.hash(), w)).isEqualTo(after);
        OpLeaf leaf = c.opLeaf(0);
        StepWitness.OpWitness oneRow = withRows(w, 0, List.of(new WitnessRows.Row(0, Arrays.copyOf(leaf.rowCommittedBytes(0), 24))),
                List.of());
        assertThatThrownBy(() -> OneStepVerifier.opStep(c.root(), c.leafCount(), c.stepCount(), 0, before.hash(), oneRow))
                .isInstanceOf(StepRejectedException.class).hasMessageContaining("row 0 is given, but step 0 does not read it");
        StepWitness.OpWitness proofOnly = withRows(w, 0, List.of(), List.of(c.root()));
        assertThatThrownBy(() -> OneStepVerifier.opStep(c.root(), c.leafCount(), c.stepCount(), 0, before.hash(), proofOnly))
                .isInstanceOf(StepRejectedException.class)
                .hasMessageContaining("step 0 reads none of its rows, yet the witness gives a proof of 1 hashes");
    }

    /**
     * A leaf proven against a root, whose shapes disagree with its op (here a Gather's output claims 70 rows of indices
     * where there are 7), is refused before its shapes name any row.
     */
    @Test
    void aLeafWhoseShapesDisagreeIsRefusedBeforeItNamesRows() {
        int emb = index("emb", 0);
        StepWitness.OpWitness w = witness(emb);
        OpLeaf o = w.op();
        TensorSpec wrong = new TensorSpec("emb", DType.INT8, new int[] {70, 20}, o.output().quantization());
        OpLeaf bad = new OpLeaf(o.opIndex(), o.firstStep(), 2, 1000, o.op(), o.weights(), o.inputs(), wrong, o.constants(),
                o.stateNames(), o.dropFirst(), o.dropAfter(), o.outputKept());
        List<Hash> leaves = new ArrayList<>();
        for (int i = 0; i <= o.opIndex(); i++) {
            leaves.add(Sha256.digest(new byte[] {(byte) i}));
        }
        leaves.add(dev.verity.core.Merkle.leaf(bad.encode()));
        Hash root = dev.verity.core.Merkle.root(leaves);
        StepWitness.OpWitness forged = new StepWitness.OpWitness(bad, dev.verity.core.Merkle.path(leaves, 1 + o.opIndex()),
                w.preState(), w.rows());
        assertThatThrownBy(() -> OneStepVerifier.opStep(root, leaves.size(), C.stepCount(), emb - 1,
                TRACE.values().get(emb - 1), forged)).isInstanceOf(StepRejectedException.class)
                .hasMessageContaining("op " + o.opIndex() + " cannot run").hasMessageContaining("output shape [70, 20]");
    }

    // ------------------------------------------------------------------ encoding

    @Test
    void truncatedOrExtendedWitnessesWithRowsAreDecodingExceptions() {
        for (int index : new int[] {HEAD, index("emb", 0), index("h", 1), index("picked", 3)}) {
            byte[] bytes = witness(index).encode();
            for (int n = 0; n < bytes.length; n += Math.max(1, n / 60)) {
                byte[] cut = Arrays.copyOf(bytes, n);
                assertThatThrownBy(() -> StepWitness.decode(cut, 1 << 20)).isInstanceOf(DecodingException.class)
                        .satisfies(e -> assertThat(e.getMessage()).isNotBlank());
            }
            for (int n = bytes.length - 64; n < bytes.length; n++) {
                byte[] cut = Arrays.copyOf(bytes, n);
                assertThatThrownBy(() -> StepWitness.decode(cut, 1 << 20)).isInstanceOf(DecodingException.class);
            }
            byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
            assertThatThrownBy(() -> StepWitness.decode(longer, 1 << 20)).isInstanceOf(DecodingException.class)
                    .hasMessageContaining("trailing");
        }
    }

    /** Flipped bits either fail to decode, cleanly, or decode to a canonical witness that proves nothing else. */
    @Test
    void bitFlipsAreRefusedOrProveNothingElse() {
        Random rnd = new Random(5);
        for (int index : new int[] {HEAD, index("emb", 0), index("cv", 2)}) {
            byte[] ok = witness(index).encode();
            Hash truth = TRACE.values().get(index);
            int refused = 0;
            int rejected = 0;
            for (int trial = 0; trial < 600; trial++) {
                byte[] bad = ok.clone();
                // half the flips in the tail, where the rows are
                int at = trial % 2 == 0 ? rnd.nextInt(bad.length) : bad.length - 1 - rnd.nextInt(Math.min(bad.length, 3000));
                bad[at] ^= (byte) (1 << rnd.nextInt(8));
                StepWitness back;
                try {
                    back = StepWitness.decode(bad, 1 << 20);
                } catch (DecodingException e) {
                    refused++;
                    assertThat(e.getMessage()).isNotBlank();
                    continue;
                }
                assertThat(back.encode()).isEqualTo(bad);
                try {
                    assertThat(run(index, back)).isEqualTo(truth);
                } catch (StepRejectedException e) {
                    rejected++;
                    assertThat(e.getMessage()).isNotBlank();
                }
            }
            assertThat(refused).isPositive();
            assertThat(rejected).isPositive();
        }
    }

    @Test
    void opLeafFormsAreStrict() {
        OpLeaf head = C.opLeaf(witness(HEAD).op().opIndex());
        OpLeaf.CommittedTensor table = head.rowCommitted().get(0);
        OpLeaf.CommittedTensor inline = head.constants().stream().filter(t -> !t.byRows()).findFirst().orElse(null);
        assertThat(inline).isNull(); // the head reads the table only
        // a constant over the threshold cannot be inline, one at most the threshold cannot be by rows
        TensorSpec big = new TensorSpec("t", DType.INT8, new int[] {4097}, Quantization.NONE);
        TensorSpec small = new TensorSpec("t", DType.INT8, new int[] {4096}, Quantization.NONE);
        assertThatThrownBy(() -> new OpLeaf.CommittedTensor(big, Tensor.zeros(DType.INT8, new int[] {4097}), null))
                .hasMessageContaining("must be committed by rows");
        assertThatThrownBy(() -> new OpLeaf.CommittedTensor(small, null, Hash.ZERO)).hasMessageContaining("must be inline");
        TensorSpec huge = new TensorSpec("t", DType.INT32, new int[] {1 << 15, 1 << 10 + 1}, Quantization.NONE);
        assertThatThrownBy(() -> new OpLeaf.CommittedTensor(huge, null, Hash.ZERO)).hasMessageContaining("may hold");
        assertThat(OpLeaf.CommittedTensor.of(small, Tensor.zeros(DType.INT8, new int[] {4096})).byRows()).isFalse();
        assertThat(OpLeaf.CommittedTensor.of(big, Tensor.zeros(DType.INT8, new int[] {4097})).byRows()).isTrue();

        byte[] bytes = head.encode();
        // the table's form byte follows its spec: 2 is no form, 0 (inline) reads the row count as a length
        byte[] spec = spec(table.spec());
        int at = indexOf(bytes, spec) + spec.length;
        byte[] form2 = bytes.clone();
        form2[at] = 2;
        assertThatThrownBy(() -> OpLeaf.decode(form2)).isInstanceOf(DecodingException.class)
                .hasMessageContaining("constant 'table': form 2 is neither 0 (inline) nor 1 (by rows)");
        // a row count other than the spec's dimension 0
        byte[] count = bytes.clone();
        count[at + 4] ^= 1;
        assertThatThrownBy(() -> OpLeaf.decode(count)).isInstanceOf(DecodingException.class)
                .hasMessageContaining("constant 'table': row count 301, but its dimension 0 is 300");

        // a QLinear's weights committed by rows: the op's weights field must then be empty
        OpLeaf linear = C.opLeaf(0);
        assertThat(linear.weights()).isNotNull();
        byte[] lb = linear.encode();
        assertThat(lb.length).isLessThan(4 * 1024);
        byte[] noForm = lb.clone();
        int formAt = 4 + OpLeaf.TAG.length() + 16;
        assertThat(noForm[formAt]).isEqualTo((byte) 1);
        noForm[formAt] = 7;
        assertThatThrownBy(() -> OpLeaf.decode(noForm)).isInstanceOf(DecodingException.class)
                .hasMessageContaining("op leaf weights form 7 is neither 0 (in the op) nor 1 (by rows)");
        noForm[formAt] = 0; // "in the op": the weights' commitment is then read as an op
        assertThatThrownBy(() -> OpLeaf.decode(noForm)).isInstanceOf(DecodingException.class);
        assertThat(OpLeaf.decode(lb).op()).isInstanceOf(dev.verity.inference.program.QLinear.class);
        // read back, the op is hollow: the witness brings the rows a step reads, after the leaf is proven
        dev.verity.inference.program.QLinear hollow = (dev.verity.inference.program.QLinear) OpLeaf.decode(lb).op();
        assertThat(hollow.hollow()).isTrue();
        assertThat(hollow.weights()).isEmpty();
        assertThatThrownBy(() -> OpLeaf.decode(lb).rowCommittedBytes(0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not hold the weights of 'h'");
        // committed by rows, the op's own weights field must be empty; a hollow op needs its weights committed by rows
        Encoder withWeights = new Encoder();
        withWeights.fixed(Arrays.copyOf(lb, opAt(lb)));
        ProgramCodec.writeOp(withWeights, linear.op());
        withWeights.fixed(Arrays.copyOfRange(lb, opAt(lb) + opLength(linear), lb.length));
        assertThatThrownBy(() -> OpLeaf.decode(withWeights.toByteArray())).isInstanceOf(DecodingException.class)
                .hasMessageContaining("the weights of QLinear 'h' are committed by rows, so its weights field must be empty");
        assertThatThrownBy(() -> new OpLeaf(linear.opIndex(), linear.firstStep(), linear.sliceCount(), linear.sliceElements(),
                hollow, null, linear.inputs(), linear.output(), linear.constants(), linear.stateNames(), linear.dropFirst(),
                linear.dropAfter(), linear.outputKept())).hasMessageContaining("QLinear 'h' holds no weights and its leaf commits none");
        assertThatThrownBy(() -> new OpLeaf(linear.opIndex(), linear.firstStep(), linear.sliceCount(), linear.sliceElements(),
                linear.op(), null, linear.inputs(), linear.output(), linear.constants(), linear.stateNames(), linear.dropFirst(),
                linear.dropAfter(), linear.outputKept())).hasMessageContaining("16384 bytes of weights: they must be committed by rows");
        // and a program refuses a hollow op: it never runs
        List<dev.verity.inference.program.Op> ops = new ArrayList<>(PROGRAM.ops());
        ops.set(0, hollow);
        assertThatThrownBy(() -> new Program(PROGRAM.tensors(), PROGRAM.inputs(), PROGRAM.outputs(), PROGRAM.constants(), ops, 97))
                .hasMessageContaining("the op holds no weights");
    }

    /** Where the op starts in an op leaf's bytes: after the tag, four u32, the weights form and the weights' commitment. */
    static int opAt(byte[] leaf) {
        int at = 4 + OpLeaf.TAG.length() + 16 + 1;
        return leaf[at - 1] == 0 ? at : at + spec(OpLeaf.decode(leaf).weights().spec()).length + 4 + 32;
    }

    static int opLength(OpLeaf leaf) {
        Encoder e = new Encoder();
        ProgramCodec.writeOp(e, leaf.op(), false);
        return e.toByteArray().length;
    }

    static byte[] spec(TensorSpec s) {
        Encoder e = new Encoder();
        ProgramCodec.writeSpec(e, s);
        return e.toByteArray();
    }

    static int indexOf(byte[] a, byte[] pattern) {
        for (int i = 0; i + pattern.length <= a.length; i++) {
            if (Arrays.equals(a, i, i + pattern.length, pattern, 0, pattern.length)) {
                return i;
            }
        }
        throw new AssertionError("pattern not found");
    }
}
