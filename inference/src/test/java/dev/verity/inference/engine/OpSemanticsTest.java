package dev.verity.inference.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.inference.program.AveragePool;
import dev.verity.inference.program.Concat;
import dev.verity.inference.program.DType;
import dev.verity.inference.program.MaxPool;
import dev.verity.inference.program.Op;
import dev.verity.inference.program.Program;
import dev.verity.inference.program.Quantization;
import dev.verity.inference.program.Requantization;
import dev.verity.inference.program.Softmax;
import dev.verity.inference.program.Tensor;
import dev.verity.inference.program.TensorSpec;
import dev.verity.inference.program.Transpose;
import dev.verity.inference.program.Window2d;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Small hand-checked cases of the ops whose arithmetic is not a dot product. */
class OpSemanticsTest {

    static TensorSpec spec(String name, int[] shape, int zp) {
        return new TensorSpec(name, DType.INT8, shape, new Quantization(zp, Requantization.ONE));
    }

    static Tensor run(List<TensorSpec> specs, Op op, int[] shape, int... x) {
        Program p = new Program(specs, List.of("x"), List.of("y"), List.of(), List.of(op), 3);
        TreeMap<String, Tensor> in = new TreeMap<>();
        in.put("x", Tensor.of(DType.INT8, shape, x));
        Tensor s = new IntegerEngine(p, EngineOptions.SCALAR).run(in).outputs().get("y");
        Tensor v = new IntegerEngine(p, EngineOptions.VECTORIZED).run(in).outputs().get("y");
        assertThat(v).isEqualTo(s);
        return s;
    }

    @Test
    void averagePoolRoundsHalfToEvenAndCountsPaddingAsAsked() {
        int[] shape = {1, 1, 2, 2};
        // 2x2 window, no padding: (1 + 2 + 2 + 0) / 4 = 1.25 -> 1; (1+2+2+1)/4 = 1.5 -> 2; (1+2+2+2)/4=1.75 -> 2
        Tensor a = run(List.of(spec("x", shape, 0), spec("y", new int[] {1, 1, 1, 1}, 0)),
                new AveragePool("x", "y", Window2d.of(2, 2), false), shape, 1, 2, 2, 0);
        assertThat(a.get(0)).isEqualTo(1);
        Tensor b = run(List.of(spec("x", shape, 0), spec("y", new int[] {1, 1, 1, 1}, 0)),
                new AveragePool("x", "y", Window2d.of(2, 2), false), shape, 1, 2, 2, 1);
        assertThat(b.get(0)).isEqualTo(2);
        Tensor c = run(List.of(spec("x", shape, 0), spec("y", new int[] {1, 1, 1, 1}, 0)),
                new AveragePool("x", "y", Window2d.of(2, 2), false), shape, -1, -2, -2, -1);
        assertThat(c.get(0)).isEqualTo(-2); // -1.5 -> -2 (even)
        // pad 1 all round, 2x2 windows stride 2, zero point 10: corner window holds one real element
        Window2d padded = new Window2d(2, 2, 2, 2, 1, 1, 1, 1, 1, 1);
        List<TensorSpec> s = List.of(spec("x", shape, 10), spec("y", new int[] {1, 1, 2, 2}, 10));
        Tensor excl = run(s, new AveragePool("x", "y", padded, false), shape, 20, 30, 40, 50);
        assertThat(excl.values()).containsExactly(20, 30, 40, 50);
        Tensor incl = run(s, new AveragePool("x", "y", padded, true), shape, 20, 30, 40, 50);
        // (20 + 3 * 10) / 4 = 12.5 -> 12; (30 + 30) / 4 = 15; (40 + 30) / 4 = 17.5 -> 18; (50 + 30) / 4 = 20
        assertThat(incl.values()).containsExactly(12, 15, 18, 20);
    }

    @Test
    void maxPoolIgnoresPadding() {
        int[] shape = {1, 1, 2, 2};
        Window2d padded = new Window2d(2, 2, 2, 2, 1, 1, 1, 1, 1, 1);
        Tensor y = run(List.of(spec("x", shape, 100), spec("y", new int[] {1, 1, 2, 2}, 100)),
                new MaxPool("x", "y", padded), shape, -5, -6, -7, -8);
        assertThat(y.values()).containsExactly(-5, -6, -7, -8); // padding (zero point 100) never wins
    }

    @Test
    void softmaxNormalizesEachRow() {
        int[] exp = new int[256];
        for (int d = 0; d < 256; d++) {
            exp[d] = (1 << Softmax.EXP_BITS) >> Math.min(31, d); // exp(-d ln 2): each step halves
        }
        int[] shape = {2, 3};
        Tensor y = run(List.of(spec("x", shape, 0), spec("y", shape, -128)), new Softmax("x", "y", 1, false, exp), shape,
                5, 5, 5, 7, 6, 5);
        // row 0: 1/3 each -> 256/3 = 85.33 -> 85 - 128 = -43; row 1: 4/7, 2/7, 1/7 of 256
        assertThat(y.values()).containsExactly(-43, -43, -43, 146 - 128, 73 - 128, 37 - 128);
        // axis 0 with inner 3: columns normalized
        Tensor cols = run(List.of(spec("x", shape, 0), spec("y", shape, -128)), new Softmax("x", "y", 0, false, exp), shape,
                5, 5, 5, 5, 6, 7);
        // column 2: (5, 7) -> 1/5 and 4/5 of 256 = 51.2 -> 51 and 204.8 -> 205
        assertThat(cols.values()).containsExactly(0, -43, -77, 0, 43, 77);
    }

    @Test
    void transposeAndConcatMoveElementsAndRequantize() {
        int[] shape = {2, 3};
        Tensor t = run(List.of(spec("x", shape, 0), spec("y", new int[] {3, 2}, 0)),
                new Transpose("x", "y", new int[] {1, 0}), shape, 1, 2, 3, 4, 5, 6);
        assertThat(t.values()).containsExactly(1, 4, 2, 5, 3, 6);
        TensorSpec x = spec("x", shape, 10);
        TensorSpec y = spec("y", new int[] {2, 6}, -1);
        Tensor c = run(List.of(x, y), new Concat(List.of("x", "x"), "y", 1,
                List.of(Requantization.ONE, new Requantization(1 << 30, 0))), shape, 11, 12, 13, 14, 15, 16);
        // first copy: (v - 10) * 1 - 1; second: (v - 10) / 2 (half to even) - 1:
        // 0.5 -> 0, 1, 1.5 -> 2, 2, 2.5 -> 2, 3
        assertThat(c.values()).containsExactly(0, 1, 2, -1, 0, 1, 3, 4, 5, 1, 1, 2);
    }
}
