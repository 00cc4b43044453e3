package dev.verity.inference.engine;

import dev.verity.inference.Requantize;
import dev.verity.inference.program.AveragePool;
import dev.verity.inference.program.CacheWrite;
import dev.verity.inference.program.CausalSoftmax;
import dev.verity.inference.program.Gather;
import dev.verity.inference.program.LayerNorm;
import dev.verity.inference.program.QMatMul;
import dev.verity.inference.program.Clamp;
import dev.verity.inference.program.Concat;
import dev.verity.inference.program.LeakyRelu;
import dev.verity.inference.program.Lut;
import dev.verity.inference.program.MaxPool;
import dev.verity.inference.program.Op;
import dev.verity.inference.program.Program;
import dev.verity.inference.program.QAdd;
import dev.verity.inference.program.QConv2d;
import dev.verity.inference.program.QLinear;
import dev.verity.inference.program.QMul;
import dev.verity.inference.program.QSub;
import dev.verity.inference.program.Requantization;
import dev.verity.inference.program.Rescale;
import dev.verity.inference.program.Reshape;
import dev.verity.inference.program.Shapes;
import dev.verity.inference.program.Softmax;
import dev.verity.inference.program.TensorSpec;
import dev.verity.inference.program.Transpose;
import dev.verity.inference.program.Window2d;
import java.util.List;

/**
 * One op prepared for execution: its constant data copied out of the op record once, its shapes and
 * zero points resolved. {@link #compute} writes output elements {@code [from, to)} and reads only the
 * inputs, so disjoint ranges may be computed in any order, or concurrently, with the same result.
 */
abstract class OpKernel {

    /** Writes output elements {@code [from, to)} of {@code out} from {@code in} (in the op's operand order). */
    abstract void compute(Buf[] in, Buf out, int from, int to, Kernels k);

    static OpKernel compile(Op op, Program p) {
        TensorSpec out = p.tensor(op.output());
        List<TensorSpec> ins = op.inputs().stream().map(p::tensor).toList();
        return switch (op) {
            case QLinear q -> new Linear(q, ins.get(0), out);
            case QConv2d c -> new Conv(c, ins.get(0), out);
            case QAdd a -> new Elementwise(ins.get(0), ins.get(1), out, Elementwise.ADD, a.multiplierA(), a.multiplierB(),
                    a.shift(), null, a.min(), a.max());
            case QSub a -> new Elementwise(ins.get(0), ins.get(1), out, Elementwise.ADD, a.multiplierA(), -a.multiplierB(),
                    a.shift(), null, a.min(), a.max());
            case QMul m -> new Elementwise(ins.get(0), ins.get(1), out, Elementwise.MUL, 0, 0, 0, m.requant(), m.min(),
                    m.max());
            case Rescale r -> new Unary(ins.get(0), out, r.requant(), r.requant(), r.min(), r.max(), null);
            case LeakyRelu r -> new Unary(ins.get(0), out, r.positive(), r.negative(), -128, 127, null);
            case Clamp c -> new Unary(ins.get(0), out, null, null, c.min(), c.max(), null);
            case Lut l -> new Unary(ins.get(0), out, null, null, -128, 127, l.table());
            case MaxPool m -> new Pool(m.window(), ins.get(0), out, true, false);
            case AveragePool a -> new Pool(a.window(), ins.get(0), out, false, a.countIncludePad());
            case Softmax s -> new SoftmaxKernel(s, ins.get(0));
            case Reshape r -> new Copy();
            case Transpose t -> new TransposeKernel(t, ins.get(0), out);
            case Concat c -> new ConcatKernel(c, ins, out);
            case QMatMul m -> new MatMulKernel(m, ins.get(0), ins.get(1), out);
            case LayerNorm n -> new LayerNormKernel(n, ins.get(0), out);
            case CausalSoftmax s -> new CausalSoftmaxKernel(s, ins.get(0));
            case Gather g -> new GatherKernel(ins.get(0));
            case CacheWrite c -> new CacheWriteKernel(c, ins.get(0));
        };
    }

    // ---------------------------------------------------------------------------------------------

    static final class Linear extends OpKernel {
        private final int inF;
        private final int outF;
        private final byte[] w;
        private final OutputStage output;

        Linear(QLinear q, TensorSpec x, TensorSpec y) {
            inF = q.inFeatures();
            outF = q.outFeatures();
            w = q.weights();
            output = new OutputStage(w, outF, inF, q.bias(), q.requant(), x, y, q.min(), q.max());
        }

        @Override
        void compute(Buf[] in, Buf out, int from, int to, Kernels k) {
            byte[] x = in[0].b;
            byte[] y = out.b;
            int[] acc = new int[Math.min(outF, Math.max(0, to - from))];
            int e = from;
            while (e < to) {
                int m = e / outF;
                int n0 = e - m * outF;
                int count = Math.min(outF - n0, to - e);
                k.dots(x, m * inF, w, n0, count, inF, acc);
                for (int r = 0; r < count; r++) {
                    y[e + r] = (byte) output.apply(n0 + r, acc[r]);
                }
                e += count;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------

    static final class Conv extends OpKernel {
        private final Window2d win;
        private final int groups;
        private final int c;
        private final int h;
        private final int wd;
        private final int cout;
        private final int oh;
        private final int ow;
        private final int cinG;
        private final int coutG;
        private final int patchLen;
        private final byte[] w;
        private final int zx;
        private final OutputStage output;

        Conv(QConv2d q, TensorSpec x, TensorSpec y) {
            win = q.window();
            groups = q.groups();
            c = x.dim(1);
            h = x.dim(2);
            wd = x.dim(3);
            cout = y.dim(1);
            oh = y.dim(2);
            ow = y.dim(3);
            cinG = c / groups;
            coutG = cout / groups;
            patchLen = cinG * win.kernelH() * win.kernelW();
            w = q.weights();
            zx = x.zeroPoint();
            output = new OutputStage(w, cout, patchLen, q.bias(), q.requant(), x, y, q.min(), q.max());
        }

        @Override
        void compute(Buf[] in, Buf out, int from, int to, Kernels k) {
            if (from >= to) {
                return;
            }
            byte[] x = in[0].b;
            byte[] y = out.b;
            int plane = oh * ow;
            byte[] patch = new byte[patchLen];
            int[] acc = new int[coutG];
            int firstPlane = from / plane;
            int lastPlane = (to - 1) / plane;
            int nFirst = firstPlane / cout;
            int nLast = lastPlane / cout;
            for (int n = nFirst; n <= nLast; n++) {
                for (int g = 0; g < groups; g++) {
                    int ocLo = Math.max(g * coutG, firstPlane - n * cout);
                    int ocHi = Math.min((g + 1) * coutG - 1, lastPlane - n * cout);
                    if (ocLo > ocHi) {
                        continue;
                    }
                    for (int p = 0; p < plane; p++) {
                        // output channels of this position inside [from, to): a contiguous run, as e grows with oc
                        int base = n * cout * plane + p;
                        int ocA = Math.max(ocLo, ceilDiv(from - base, plane));
                        int ocB = Math.min(ocHi, Math.floorDiv(to - 1 - base, plane));
                        if (ocA > ocB) {
                            continue;
                        }
                        im2col(x, n, g, p / ow, p % ow, patch);
                        k.dots(patch, 0, w, ocA, ocB - ocA + 1, patchLen, acc);
                        for (int oc = ocA; oc <= ocB; oc++) {
                            y[base + oc * plane] = (byte) output.apply(oc, acc[oc - ocA]);
                        }
                    }
                }
            }
        }

        private static int ceilDiv(int a, int b) {
            return -Math.floorDiv(-a, b);
        }

        /** The input patch of one output position in (ic, kh, kw) order, padding reading {@code zx}. */
        private void im2col(byte[] x, int n, int g, int oy, int ox, byte[] patch) {
            int idx = 0;
            int kh = win.kernelH();
            int kw = win.kernelW();
            for (int ic = 0; ic < cinG; ic++) {
                int base = (n * c + g * cinG + ic) * h;
                for (int i = 0; i < kh; i++) {
                    int iy = oy * win.strideH() - win.padTop() + i * win.dilationH();
                    boolean rowIn = iy >= 0 && iy < h;
                    for (int j = 0; j < kw; j++) {
                        int ix = ox * win.strideW() - win.padLeft() + j * win.dilationW();
                        patch[idx++] = rowIn && ix >= 0 && ix < wd ? x[(base + iy) * wd + ix] : (byte) zx;
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------

    /** Add/Sub (rescaled sum) and Mul, with ONNX broadcasting. */
    static final class Elementwise extends OpKernel {
        static final int ADD = 0;
        static final int MUL = 1;
        private final int kind;
        private final int[] dims;
        private final int[] sa;
        private final int[] sb;
        private final boolean contiguous;
        private final int za;
        private final int zb;
        private final int zo;
        private final int ma;
        private final int mb;
        private final int shift;
        private final Requantization rq;
        private final int min;
        private final int max;

        Elementwise(TensorSpec a, TensorSpec b, TensorSpec out, int kind, int ma, int mb, int shift, Requantization rq,
                int min, int max) {
            this.kind = kind;
            dims = out.shape();
            sa = Shapes.broadcastStrides(a.shape(), dims);
            sb = Shapes.broadcastStrides(b.shape(), dims);
            contiguous = Shapes.sameShape(a.shape(), dims) && Shapes.sameShape(b.shape(), dims);
            za = a.zeroPoint();
            zb = b.zeroPoint();
            zo = out.zeroPoint();
            this.ma = ma;
            this.mb = mb;
            this.shift = shift;
            this.rq = rq;
            this.min = min;
            this.max = max;
        }

        @Override
        void compute(Buf[] in, Buf out, int from, int to, Kernels k) {
            byte[] a = in[0].b;
            byte[] b = in[1].b;
            byte[] y = out.b;
            if (contiguous && kind == ADD) {
                k.addRescaled(a, from, b, from, y, from, to - from, za, zb, ma, mb, shift, zo, min, max);
                return;
            }
            Walk walk = new Walk(dims, from, sa, sb);
            for (int e = from; e < to; e++) {
                int va = a[walk.off[0]] - za;
                int vb = b[walk.off[1]] - zb;
                int v;
                if (kind == ADD) {
                    v = zo + Requantize.shiftRoundHalfEven(va * ma + vb * mb, shift);
                    v = v < min ? min : v > max ? max : v;
                } else {
                    v = Requantize.requantize(va * vb, rq.multiplier(), rq.shift(), zo, min, max);
                }
                y[e] = (byte) v;
                walk.next();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------

    /** Rescale, LeakyRelu, Clamp and Lut: one input element per output element. */
    static final class Unary extends OpKernel {
        private final int zx;
        private final int zy;
        private final Requantization pos;
        private final Requantization neg;
        private final int min;
        private final int max;
        private final byte[] table;

        Unary(TensorSpec x, TensorSpec y, Requantization pos, Requantization neg, int min, int max, byte[] table) {
            zx = x.zeroPoint();
            zy = y.zeroPoint();
            this.pos = pos;
            this.neg = neg;
            this.min = min;
            this.max = max;
            this.table = table;
        }

        @Override
        void compute(Buf[] in, Buf out, int from, int to, Kernels k) {
            byte[] x = in[0].b;
            byte[] y = out.b;
            if (table != null) {
                for (int e = from; e < to; e++) {
                    y[e] = table[x[e] + 128];
                }
            } else if (pos == null) {
                for (int e = from; e < to; e++) {
                    int v = x[e];
                    y[e] = (byte) (v < min ? min : v > max ? max : v);
                }
            } else {
                for (int e = from; e < to; e++) {
                    int v = x[e] - zx;
                    Requantization r = v >= 0 ? pos : neg;
                    y[e] = (byte) Requantize.requantize(v, r.multiplier(), r.shift(), zy, min, max);
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------

    static final class Pool extends OpKernel {
        private final Window2d win;
        private final boolean isMax;
        private final boolean countPad;
        private final int h;
        private final int w;
        private final int oh;
        private final int ow;
        private final int zx;

        Pool(Window2d win, TensorSpec x, TensorSpec y, boolean isMax, boolean countPad) {
            this.win = win;
            this.isMax = isMax;
            this.countPad = countPad;
            h = x.dim(2);
            w = x.dim(3);
            oh = y.dim(2);
            ow = y.dim(3);
            zx = x.zeroPoint();
        }

        @Override
        void compute(Buf[] in, Buf out, int from, int to, Kernels k) {
            byte[] x = in[0].b;
            byte[] y = out.b;
            int plane = oh * ow;
            int padH = h + win.padBottom();
            int padW = w + win.padRight();
            for (int e = from; e < to; e++) {
                int nc = e / plane;
                int p = e - nc * plane;
                int oy = p / ow;
                int ox = p - oy * ow;
                int base = nc * h * w;
                int best = Integer.MIN_VALUE;
                long sum = 0;
                long count = 0;
                for (int i = 0; i < win.kernelH(); i++) {
                    int iy = oy * win.strideH() - win.padTop() + i * win.dilationH();
                    for (int j = 0; j < win.kernelW(); j++) {
                        int ix = ox * win.strideW() - win.padLeft() + j * win.dilationW();
                        if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                            int v = x[base + iy * w + ix];
                            best = Math.max(best, v);
                            sum += v;
                            count++;
                        } else if (countPad && iy >= -win.padTop() && iy < padH && ix >= -win.padLeft() && ix < padW) {
                            sum += zx;
                            count++;
                        }
                    }
                }
                int v;
                if (count == 0) {
                    v = zx;
                } else if (isMax) {
                    v = best == Integer.MIN_VALUE ? zx : best;
                } else {
                    v = (int) Requantize.divRoundHalfEven(sum, count);
                }
                y[e] = (byte) v;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------

    static final class SoftmaxKernel extends OpKernel {
        private final int outer;
        private final int len;
        private final int inner;
        private final int[] exp;

        SoftmaxKernel(Softmax s, TensorSpec x) {
            int[] shape = x.shape();
            int o = 1;
            for (int d = 0; d < s.axis(); d++) {
                o *= shape[d];
            }
            int l;
            int i = 1;
            if (s.coerceTo2d()) {
                l = 1;
                for (int d = s.axis(); d < shape.length; d++) {
                    l *= shape[d];
                }
            } else {
                l = shape[s.axis()];
                for (int d = s.axis() + 1; d < shape.length; d++) {
                    i *= shape[d];
                }
            }
            outer = o;
            len = l;
            inner = i;
            exp = s.expTable();
        }

        @Override
        void compute(Buf[] in, Buf out, int from, int to, Kernels k) {
            if (from >= to || len == 0) {
                return;
            }
            byte[] x = in[0].b;
            byte[] y = out.b;
            int block = len * inner;
            int[] rowMax = new int[inner];
            long[] rowSum = new long[inner];
            for (int o = from / block; o <= (to - 1) / block && o < outer; o++) {
                int base = o * block;
                for (int r = 0; r < inner; r++) {
                    rowMax[r] = SoftmaxRows.max(x, base + r, inner, len);
                    rowSum[r] = SoftmaxRows.sum(x, base + r, inner, len, rowMax[r], exp);
                }
                int lo = Math.max(from, base);
                int hi = Math.min(to, base + block);
                for (int e = lo; e < hi; e++) {
                    int r = (e - base) % inner;
                    y[e] = SoftmaxRows.probability(exp[rowMax[r] - x[e]], rowSum[r]);
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------

    /** Reshape: element {@code e} of the output is element {@code e} of the input. */
    static final class Copy extends OpKernel {
        @Override
        void compute(Buf[] in, Buf out, int from, int to, Kernels k) {
            Buf x = in[0];
            switch (x.dtype) {
                case INT8 -> System.arraycopy(x.b, from, out.b, from, to - from);
                case INT16 -> System.arraycopy(x.s, from, out.s, from, to - from);
                case INT32 -> System.arraycopy(x.i, from, out.i, from, to - from);
            }
        }
    }

    static final class TransposeKernel extends OpKernel {
        private final int[] dims;
        private final int[] strides;

        TransposeKernel(Transpose t, TensorSpec x, TensorSpec y) {
            dims = y.shape();
            int[] own = Shapes.strides(x.shape());
            int[] perm = t.perm();
            strides = new int[perm.length];
            for (int i = 0; i < perm.length; i++) {
                strides[i] = own[perm[i]];
            }
        }

        @Override
        void compute(Buf[] in, Buf out, int from, int to, Kernels k) {
            Buf x = in[0];
            Walk walk = new Walk(dims, from, strides);
            for (int e = from; e < to; e++) {
                out.set(e, x.get(walk.off[0]));
                walk.next();
            }
        }
    }

    static final class ConcatKernel extends OpKernel {
        private final int axisLen;
        private final int inner;
        private final int[] starts;
        private final int[] lens;
        private final int[] zx;
        private final int[] mult;
        private final int[] shift;
        private final int zy;

        ConcatKernel(Concat c, List<TensorSpec> ins, TensorSpec y) {
            int[] shape = y.shape();
            int in = 1;
            for (int d = c.axis() + 1; d < shape.length; d++) {
                in *= shape[d];
            }
            inner = in;
            axisLen = shape[c.axis()];
            int n = ins.size();
            starts = new int[n];
            lens = new int[n];
            zx = new int[n];
            mult = new int[n];
            shift = new int[n];
            int s = 0;
            for (int i = 0; i < n; i++) {
                starts[i] = s;
                lens[i] = ins.get(i).dim(c.axis());
                s += lens[i];
                zx[i] = ins.get(i).zeroPoint();
                mult[i] = c.requant().get(i).multiplier();
                shift[i] = c.requant().get(i).shift();
            }
            zy = y.zeroPoint();
        }

        @Override
        void compute(Buf[] in, Buf out, int from, int to, Kernels k) {
            byte[] y = out.b;
            for (int e = from; e < to; e++) {
                int r = e % inner;
                int q = e / inner;
                int a = q % axisLen;
                int o = q / axisLen;
                int j = 0;
                while (a >= starts[j] + lens[j]) {
                    j++;
                }
                int src = (o * lens[j] + (a - starts[j])) * inner + r;
                int v = in[j].b[src] - zx[j];
                y[e] = (byte) Requantize.requantize(v, mult[j], shift[j], zy, -128, 127);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------

    /** Walks a row-major index space from a flat position, tracking offsets under several stride sets. */
    static final class Walk {
        private final int[] dims;
        private final int[][] strides;
        private final int[] idx;
        final int[] off;

        Walk(int[] dims, int from, int[]... strides) {
            this.dims = dims;
            this.strides = strides;
            idx = new int[dims.length];
            off = new int[strides.length];
            int rem = from;
            for (int d = dims.length - 1; d >= 0; d--) {
                if (dims[d] > 0) {
                    idx[d] = rem % dims[d];
                    rem /= dims[d];
                }
            }
            for (int s = 0; s < strides.length; s++) {
                int o = 0;
                for (int d = 0; d < dims.length; d++) {
                    o += idx[d] * strides[s][d];
                }
                off[s] = o;
            }
        }

        void next() {
            for (int d = dims.length - 1; d >= 0; d--) {
                idx[d]++;
                for (int s = 0; s < strides.length; s++) {
                    off[s] += strides[s][d];
                }
                if (idx[d] < dims[d]) {
                    return;
                }
                for (int s = 0; s < strides.length; s++) {
                    off[s] -= strides[s][d] * dims[d];
                }
                idx[d] = 0;
            }
        }
    }
}
