package dev.verity.inference.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verity.core.Hash;
import dev.verity.inference.Requantize;
import dev.verity.inference.TestPrograms;
import dev.verity.inference.program.DType;
import dev.verity.inference.program.Program;
import dev.verity.inference.program.QConv2d;
import dev.verity.inference.program.QLinear;
import dev.verity.inference.program.Quantization;
import dev.verity.inference.program.Requantization;
import dev.verity.inference.program.Tensor;
import dev.verity.inference.program.TensorSpec;
import dev.verity.inference.program.Window2d;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class IntegerEngineTest {

    @Test
    void scalarAndVectorRunsAreIdentical() {
        for (int slice : new int[] {1, 7, 64, 100_000}) {
            Program p = TestPrograms.zoo(slice);
            for (long seed = 0; seed < 5; seed++) {
                RunResult s = new IntegerEngine(p, EngineOptions.SCALAR).run(TestPrograms.zooInput(seed));
                RunResult v = new IntegerEngine(p, EngineOptions.VECTORIZED).run(TestPrograms.zooInput(seed));
                assertThat(v.outputs()).isEqualTo(s.outputs());
                assertThat(v.stepHashes()).isEqualTo(s.stepHashes());
                assertThat(v.inputHash()).isEqualTo(s.inputHash());
            }
        }
    }

    @Test
    void attentionOpsRunIdenticallyWithScalarAndVectorKernelsAndAnySlicing() {
        RunResult whole = new IntegerEngine(TestPrograms.attention(1 << 30), EngineOptions.SCALAR)
                .run(TestPrograms.attentionInput(1));
        for (int slice : new int[] {1, 3, 5, 16, 1 << 20}) {
            Program p = TestPrograms.attention(slice);
            for (long seed = 0; seed < 4; seed++) {
                RunResult s = new IntegerEngine(p, EngineOptions.SCALAR).run(TestPrograms.attentionInput(seed));
                RunResult v = new IntegerEngine(p, EngineOptions.VECTORIZED).run(TestPrograms.attentionInput(seed));
                assertThat(v.outputs()).isEqualTo(s.outputs());
                assertThat(v.stepHashes()).isEqualTo(s.stepHashes());
            }
            assertThat(new IntegerEngine(p, EngineOptions.VECTORIZED).run(TestPrograms.attentionInput(1)).outputs())
                    .isEqualTo(whole.outputs());
        }
        // QMatMul's multiply-accumulates: scores 8 x 4, heads 8 x 4, mm16 15 x 8, logits 18 x 8, self 9 x 8
        assertThat(TestPrograms.attention(5).multiplyAccumulates()).isEqualTo(32 + 32 + 120 + 144 + 72);
    }

    @Test
    void outputsDoNotDependOnSlicing() {
        SortedMap<String, Tensor> in = TestPrograms.zooInput(9);
        RunResult whole = new IntegerEngine(TestPrograms.zoo(1 << 30), EngineOptions.SCALAR).run(in);
        for (int slice : new int[] {1, 2, 5, 13, 36}) {
            IntegerEngine e = new IntegerEngine(TestPrograms.zoo(slice), EngineOptions.VECTORIZED);
            assertThat(e.plan().size()).isGreaterThan(whole.stepHashes().size());
            assertThat(e.run(in).outputs()).isEqualTo(whole.outputs());
        }
    }

    @Test
    void planSlicesEachOpIntoContiguousRanges() {
        IntegerEngine e = new IntegerEngine(TestPrograms.zoo(7), EngineOptions.SCALAR);
        List<Step> plan = e.plan();
        for (int i = 0; i < plan.size(); i++) {
            Step s = plan.get(i);
            assertThat(s.index()).isEqualTo(i);
            assertThat(s.to() - s.from()).isBetween(1, 7);
            if (s.slice() > 0) {
                assertThat(s.from()).isEqualTo(plan.get(i - 1).to());
            } else {
                assertThat(s.from()).isZero();
            }
            if (s.lastSlice()) {
                assertThat(s.to()).isEqualTo(e.program().tensor(s.output()).elementCount());
            }
        }
    }

    @Test
    void everyStepReRunsAloneFromTheStateBeforeIt() {
        IntegerEngine e = new IntegerEngine(TestPrograms.zoo(7), EngineOptions.VECTORIZED);
        IntegerEngine other = new IntegerEngine(TestPrograms.zoo(7), EngineOptions.SCALAR);
        RunResult full = e.run(TestPrograms.zooInput(3));
        State state = e.initialState(TestPrograms.zooInput(3));
        for (int i = 0; i < e.plan().size(); i++) {
            // a state rebuilt from plain tensors (as received from another machine) gives the same step
            State rebuilt = State.of(state.tensors());
            assertThat(rebuilt.hash()).isEqualTo(state.hash());
            StepResult a = e.runStep(i, state);
            StepResult b = other.runStep(i, rebuilt);
            assertThat(a.stateHash()).isEqualTo(full.stepHashes().get(i)).isEqualTo(b.stateHash());
            assertThat(e.runStep(i, state).stateHash()).isEqualTo(a.stateHash()); // again: no hidden mutation
            state = a.state();
        }
        assertThat(state.names()).containsExactly("probs", "sm2");
    }

    @Test
    void slicesComputedInAnyOrderGiveTheSameStates() {
        IntegerEngine e = new IntegerEngine(TestPrograms.zoo(5), EngineOptions.VECTORIZED);
        SortedMap<String, Tensor> in = TestPrograms.zooInput(4);
        RunResult full = e.run(in);
        State state = e.initialState(in);
        Random rnd = new Random(7);
        List<Step> plan = e.plan();
        int i = 0;
        while (i < plan.size()) {
            int count = plan.get(i).sliceCount();
            OpOutput out = e.newOpOutput(i);
            List<Integer> order = new ArrayList<>();
            for (int k = 0; k < count; k++) {
                order.add(i + k);
            }
            java.util.Collections.shuffle(order, rnd);
            for (int index : order) {
                e.computeSlice(index, state, out);
            }
            State last = state;
            for (int k = 0; k < count; k++) {
                last = e.stateAfter(i + k, state, out);
                assertThat(last.hash()).isEqualTo(full.stepHashes().get(i + k));
            }
            state = last;
            i += count;
        }
    }

    @Test
    void liveTensorsFollowTheDefinition() {
        IntegerEngine e = new IntegerEngine(TestPrograms.zoo(1 << 20), EngineOptions.SCALAR);
        State s0 = e.initialState(TestPrograms.zooInput(1));
        assertThat(s0.names()).containsExactly("x");
        StepResult r0 = e.runStep(0, s0); // conv x -> c1: x is read by nobody else
        assertThat(r0.state().names()).containsExactly("c1");
        StepResult r1 = e.runStep(1, r0.state()); // c1 -> c2: c1 still read later
        assertThat(r1.state().names()).containsExactly("c1", "c2");
    }

    @Test
    void partialOutputsAreZeroBeyondTheSlice() {
        IntegerEngine e = new IntegerEngine(TestPrograms.zoo(10), EngineOptions.SCALAR);
        StepResult r = e.runStep(0, e.initialState(TestPrograms.zooInput(1)));
        assertThat(r.state().names()).containsExactly("c1", "x");
        Tensor c1 = r.state().tensor("c1");
        for (int i = 10; i < c1.elementCount(); i++) {
            assertThat(c1.get(i)).isZero();
        }
    }

    @Test
    void stepsRefuseStatesWithoutTheirInputs() {
        IntegerEngine e = new IntegerEngine(TestPrograms.zoo(7), EngineOptions.SCALAR);
        State empty = State.of(new TreeMap<>());
        assertThatThrownBy(() -> e.runStep(0, empty)).hasMessageContaining("lacks tensor 'x'");
        assertThatThrownBy(() -> e.runStep(e.plan().size(), empty)).hasMessageContaining("no step");
        TreeMap<String, Tensor> wrong = new TreeMap<>();
        wrong.put("x", Tensor.zeros(DType.INT8, new int[] {1, 3, 6, 5}));
        assertThatThrownBy(() -> e.initialState(wrong)).hasMessageContaining("expected");
    }

    @Test
    void stateHashFollowsTheDocumentedEncoding() throws Exception {
        TreeMap<String, Tensor> m = new TreeMap<>();
        m.put("b", Tensor.of(DType.INT32, new int[] {2}, new int[] {-2, 70000}));
        m.put("a", Tensor.of(DType.INT8, new int[] {1, 2}, new int[] {-1, 5}));
        m.put("c", Tensor.of(DType.INT16, new int[] {1}, new int[] {-300}));
        byte[] ca = content(d -> {
            d.writeByte(1); d.writeInt(2); d.writeInt(1); d.writeInt(2); d.writeByte(-1); d.writeByte(5);
        });
        byte[] cb = content(d -> {
            d.writeByte(3); d.writeInt(1); d.writeInt(2); d.writeInt(-2); d.writeInt(70000);
        });
        byte[] cc = content(d -> {
            d.writeByte(2); d.writeInt(1); d.writeInt(1); d.writeShort(-300);
        });
        byte[] la = leaf('a', ca);
        byte[] lb = leaf('b', cb);
        byte[] lc = leaf('c', cc);
        // three leaves: ((a, b), c), the odd last one carried up
        Hash expected = Hash.wrap(sha256(new byte[] {1}, sha256(new byte[] {1}, la, lb), lc));
        State state = State.of(m);
        assertThat(state.hash()).isEqualTo(expected);
        assertThat(State.tensorLeaf("b", m.get("b"))).isEqualTo(Hash.wrap(lb)).isEqualTo(state.leaf("b"))
                .isEqualTo(State.tensorLeaf("b", Hash.wrap(cb)));
        assertThat(State.tensorContent(m.get("b"))).isEqualTo(Hash.wrap(cb)).isEqualTo(state.content("b"));
        // the content hash is the same under any name; the leaf is not
        assertThat(State.tensorLeaf("b2", m.get("b"))).isNotEqualTo(Hash.wrap(lb))
                .isEqualTo(State.tensorLeaf("b2", state.content("b")));
        assertThat(State.of(new TreeMap<>()).hash()).isEqualTo(Hash.wrap(sha256()));
        TreeMap<String, Tensor> one = new TreeMap<>();
        one.put("a", m.get("a"));
        assertThat(State.of(one).hash()).isEqualTo(Hash.wrap(la));
    }

    @Test
    void cachedLeavesFollowTheTensorName() {
        IntegerEngine e = new IntegerEngine(TestPrograms.zoo(7), EngineOptions.SCALAR);
        RunResult full = e.run(TestPrograms.zooInput(2));
        State state = e.initialState(TestPrograms.zooInput(2));
        for (int i = 0; i < e.plan().size(); i++) {
            state = e.runStep(i, state).state();
            // a state rebuilt from copies, so nothing is cached, hashes alike
            assertThat(State.of(state.tensors()).hash()).isEqualTo(full.stepHashes().get(i)).isEqualTo(state.hash());
            for (String name : state.names()) {
                assertThat(state.leaf(name)).isEqualTo(State.tensorLeaf(name, state.tensor(name)));
            }
        }
    }

    interface Fields {
        void write(java.io.DataOutputStream d) throws java.io.IOException;
    }

    /** SHA-256(string content tag || fields). */
    private static byte[] content(Fields fields) throws Exception {
        java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream d = new java.io.DataOutputStream(o);
        byte[] tag = "verity.inference.tensor.content.v1".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        d.writeInt(tag.length);
        d.write(tag);
        fields.write(d);
        return sha256(o.toByteArray());
    }

    /** SHA-256(0x00 || string leaf tag || string name || content). */
    private static byte[] leaf(char name, byte[] content) throws Exception {
        java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream d = new java.io.DataOutputStream(o);
        d.writeByte(0);
        byte[] tag = "verity.inference.tensor.v2".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        d.writeInt(tag.length);
        d.write(tag);
        d.writeInt(1);
        d.write(name);
        d.write(content);
        return sha256(o.toByteArray());
    }

    private static byte[] sha256(byte[]... parts) throws Exception {
        java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
        for (byte[] p : parts) {
            md.update(p);
        }
        return md.digest();
    }

    // ------------------------------------------------------------------ kernels against naive formulas

    @Test
    void convMatchesANaiveConvolution() {
        Random rnd = new Random(5);
        for (int trial = 0; trial < 30; trial++) {
            int groups = 1 + rnd.nextInt(2);
            int cin = groups * (1 + rnd.nextInt(3));
            int cout = groups * (1 + rnd.nextInt(3));
            int h = 3 + rnd.nextInt(6);
            int w = 3 + rnd.nextInt(6);
            int kh = 1 + rnd.nextInt(3);
            int kw = 1 + rnd.nextInt(3);
            Window2d win = new Window2d(kh, kw, 1 + rnd.nextInt(2), 1 + rnd.nextInt(2), rnd.nextInt(2), rnd.nextInt(2),
                    rnd.nextInt(2), rnd.nextInt(2), 1 + rnd.nextInt(2), 1);
            int oh = dev.verity.inference.program.Shapes.windowOutput(h, kh, win.strideH(), win.padTop(), win.padBottom(), win.dilationH(), false);
            int ow = dev.verity.inference.program.Shapes.windowOutput(w, kw, win.strideW(), win.padLeft(), win.padRight(), win.dilationW(), false);
            if (oh < 1 || ow < 1) {
                continue;
            }
            int n = 1 + rnd.nextInt(2);
            int zx = rnd.nextInt(256) - 128;
            int zy = rnd.nextInt(256) - 128;
            byte[] wt = randomBytes(rnd, cout * (cin / groups) * kh * kw);
            int[] bias = new int[cout];
            for (int i = 0; i < cout; i++) {
                bias[i] = rnd.nextInt(20001) - 10000;
            }
            List<Requantization> rq = new ArrayList<>();
            for (int i = 0; i < cout; i++) {
                rq.add(new Requantization((1 << 30) + rnd.nextInt(1 << 30), 6 + rnd.nextInt(4)));
            }
            Program p = new Program(List.of(spec("x", new int[] {n, cin, h, w}, zx), spec("y", new int[] {n, cout, oh, ow}, zy)),
                    List.of("x"), List.of("y"), List.of(),
                    List.of(new QConv2d("x", "y", win, groups, wt, bias, rq, -128, 127)), 1 + rnd.nextInt(40));
            byte[] x = randomBytes(rnd, n * cin * h * w);
            TreeMap<String, Tensor> in = new TreeMap<>();
            in.put("x", Tensor.ofInt8(new int[] {n, cin, h, w}, x));
            Tensor y = new IntegerEngine(p, EngineOptions.VECTORIZED).run(in).outputs().get("y");
            int cg = cin / groups;
            int og = cout / groups;
            for (int b = 0; b < n; b++) {
                for (int oc = 0; oc < cout; oc++) {
                    int g = oc / og;
                    for (int oy = 0; oy < oh; oy++) {
                        for (int ox = 0; ox < ow; ox++) {
                            long acc = bias[oc];
                            for (int ic = 0; ic < cg; ic++) {
                                for (int i = 0; i < kh; i++) {
                                    for (int j = 0; j < kw; j++) {
                                        int iy = oy * win.strideH() - win.padTop() + i * win.dilationH();
                                        int ix = ox * win.strideW() - win.padLeft() + j * win.dilationW();
                                        int xv = iy >= 0 && iy < h && ix >= 0 && ix < w
                                                ? x[((b * cin + g * cg + ic) * h + iy) * w + ix] : zx;
                                        acc += (long) (xv - zx) * wt[((oc * cg + ic) * kh + i) * kw + j];
                                    }
                                }
                            }
                            int expected = Requantize.requantize(acc, rq.get(oc).multiplier(), rq.get(oc).shift(), zy, -128, 127);
                            assertThat(y.get(((b * cout + oc) * oh + oy) * ow + ox)).isEqualTo(expected);
                        }
                    }
                }
            }
        }
    }

    @Test
    void linearMatchesANaiveProduct() {
        Random rnd = new Random(6);
        for (int trial = 0; trial < 30; trial++) {
            int m = 1 + rnd.nextInt(4);
            int k = 1 + rnd.nextInt(70);
            int nOut = 1 + rnd.nextInt(20);
            int zx = rnd.nextInt(256) - 128;
            byte[] wt = randomBytes(rnd, nOut * k);
            int[] bias = new int[nOut];
            List<Requantization> rq = List.of(new Requantization((1 << 30) + rnd.nextInt(1 << 30), 5 + rnd.nextInt(4)));
            Program p = new Program(List.of(spec("x", new int[] {m, k}, zx), spec("y", new int[] {m, nOut}, 3)),
                    List.of("x"), List.of("y"), List.of(), List.of(new QLinear("x", "y", k, nOut, wt, bias, rq, -50, 100)),
                    1 + rnd.nextInt(10));
            byte[] x = randomBytes(rnd, m * k);
            TreeMap<String, Tensor> in = new TreeMap<>();
            in.put("x", Tensor.ofInt8(new int[] {m, k}, x));
            Tensor y = new IntegerEngine(p, EngineOptions.VECTORIZED).run(in).outputs().get("y");
            for (int r = 0; r < m; r++) {
                for (int c = 0; c < nOut; c++) {
                    long acc = 0;
                    for (int i = 0; i < k; i++) {
                        acc += (long) (x[r * k + i] - zx) * wt[c * k + i];
                    }
                    assertThat(y.get(r * nOut + c)).isEqualTo(Requantize.requantize(acc, rq.get(0).multiplier(),
                            rq.get(0).shift(), 3, -50, 100));
                }
            }
        }
    }

    static TensorSpec spec(String name, int[] shape, int zp) {
        return new TensorSpec(name, DType.INT8, shape, new Quantization(zp, Requantization.ONE));
    }

    static byte[] randomBytes(Random rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }
}
