package dev.verity.modelhub.floatengine;

import dev.verity.modelhub.graph.DataType;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import java.util.function.LongBinaryOperator;
import java.util.function.LongUnaryOperator;

/**
 * Element-wise operators. Binary and variadic ones broadcast multidirectionally (numpy rules); PRelu broadcasts its
 * slope to the input. Arithmetic on FLOAT is done in float; unary functions are evaluated in double and rounded once.
 */
final class ElementwiseOps {
    private ElementwiseOps() {}

    interface FloatBinary {
        float apply(float a, float b);
    }

    interface FloatPredicate2 {
        boolean test(float a, float b);
    }

    interface LongPredicate2 {
        boolean test(long a, long b);
    }

    static void register(Map<String, Op> ops) {
        // Unary float functions (double precision, rounded once).
        unary(ops, "Sigmoid", x -> 1.0 / (1.0 + Math.exp(-x)));
        unary(ops, "Tanh", Math::tanh);
        unary(ops, "Exp", Math::exp);
        unary(ops, "Log", Math::log);
        unary(ops, "Sqrt", Math::sqrt);
        unary(ops, "Reciprocal", x -> 1.0 / x);
        unary(ops, "Floor", Math::floor);
        unary(ops, "Ceil", Math::ceil);
        unary(ops, "Round", Math::rint); // round half to even, as ONNX specifies
        unary(ops, "Sin", Math::sin);
        unary(ops, "Cos", Math::cos);
        unary(ops, "Tan", Math::tan);
        unary(ops, "Asin", Math::asin);
        unary(ops, "Acos", Math::acos);
        unary(ops, "Atan", Math::atan);
        unary(ops, "Sinh", Math::sinh);
        unary(ops, "Cosh", Math::cosh);
        unary(ops, "Asinh", x -> Double.isInfinite(x) ? x : Math.log(x + Math.sqrt(x * x + 1)));
        unary(ops, "Acosh", x -> Math.log(x + Math.sqrt(x * x - 1)));
        unary(ops, "Atanh", x -> 0.5 * Math.log((1 + x) / (1 - x)));
        unary(ops, "Erf", ElementwiseOps::erf);
        unary(ops, "Softsign", x -> x / (1 + Math.abs(x)));
        unary(ops, "Softplus", x -> x > 30 ? x : Math.log1p(Math.exp(x)));
        ops.put("Relu", c -> signed(c, x -> Math.max(x, 0), x -> Math.max(x, 0)));
        ops.put("Abs", c -> signed(c, Math::abs, Math::abs));
        ops.put("Neg", c -> signed(c, x -> -x, x -> -x));
        ops.put("Sign", c -> signed(c, Math::signum, Long::signum));
        ops.put("LeakyRelu", c -> {
            double alpha = c.floatAttr("alpha", 0.01f);
            return map(c, x -> x >= 0 ? x : alpha * x);
        });
        ops.put("Elu", c -> {
            double alpha = c.floatAttr("alpha", 1.0f);
            return map(c, x -> x >= 0 ? x : alpha * (Math.exp(x) - 1));
        });
        ops.put("Celu", c -> {
            double alpha = c.floatAttr("alpha", 1.0f);
            return map(c, x -> Math.max(0, x) + Math.min(0, alpha * (Math.exp(x / alpha) - 1)));
        });
        ops.put("Selu", c -> {
            double alpha = c.floatAttr("alpha", 1.67326319217681884765625f);
            double gamma = c.floatAttr("gamma", 1.05070102214813232421875f);
            return map(c, x -> x > 0 ? gamma * x : gamma * (alpha * Math.exp(x) - alpha));
        });
        ops.put("HardSigmoid", c -> {
            double alpha = c.floatAttr("alpha", 0.2f);
            double beta = c.floatAttr("beta", 0.5f);
            return map(c, x -> Math.max(0, Math.min(1, alpha * x + beta)));
        });
        ops.put("HardSwish", c -> map(c, x -> x * Math.max(0, Math.min(1, x / 6 + 0.5))));
        ops.put("ThresholdedRelu", c -> {
            double alpha = c.floatAttr("alpha", 1.0f);
            return map(c, x -> x > alpha ? x : 0);
        });
        ops.put("Shrink", c -> {
            double bias = c.floatAttr("bias", 0f);
            double lambd = c.floatAttr("lambd", 0.5f);
            return map(c, x -> x < -lambd ? x + bias : x > lambd ? x - bias : 0);
        });
        ops.put("IsNaN", c -> predicate(c.floatInput(0), Float::isNaN));
        ops.put("IsInf", c -> {
            boolean negative = c.intAttr("detect_negative", 1) != 0;
            boolean positive = c.intAttr("detect_positive", 1) != 0;
            return predicate(c.floatInput(0), x -> (positive && x == Float.POSITIVE_INFINITY)
                    || (negative && x == Float.NEGATIVE_INFINITY));
        });
        ops.put("Not", c -> {
            FloatTensor x = bool(c, 0);
            long[] out = new long[x.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = 1 - x.longs[i];
            }
            return OpContext.one(FloatTensor.wrapLongs(DataType.BOOL, x.dims(), out));
        });

        // Binary arithmetic: FLOAT in float, INT64 in long.
        arithmetic(ops, "Add", (a, b) -> a + b, Math::addExact);
        arithmetic(ops, "Sub", (a, b) -> a - b, Math::subtractExact);
        arithmetic(ops, "Mul", (a, b) -> a * b, Math::multiplyExact);
        arithmetic(ops, "Div", (a, b) -> a / b, (a, b) -> a / b); // integer division truncates, like C
        ops.put("Pow", ElementwiseOps::pow);
        ops.put("Mod", c -> {
            boolean fmod = c.intAttr("fmod", 0) != 0;
            FloatTensor a = c.input(0);
            if (a.isFloat() && !fmod) {
                throw new IllegalArgumentException("Mod on floating-point inputs requires fmod=1");
            }
            // fmod=1: the sign of the dividend (C fmod, Java %); fmod=0: the sign of the divisor (Python %).
            return OpContext.one(binary(a, c.input(1), (x, y) -> x % y, fmod ? (x, y) -> x % y : Math::floorMod));
        });
        ops.put("PRelu", c -> {
            FloatTensor x = c.floatInput(0);
            FloatTensor slope = c.floatInput(1);
            if (c.opset < 7 && slope.rank() == 1 && x.rank() >= 2 && slope.dim(0) == x.dim(1) && slope.dim(0) > 1) {
                // before opset 7 a 1-D slope holds one value per channel (axis 1)
                int[] perChannel = new int[x.rank() - 1];
                java.util.Arrays.fill(perChannel, 1);
                perChannel[0] = slope.dim(0);
                slope = ShapeOps.reshaped(slope, perChannel);
            }
            int[] index = Shapes.broadcastIndex(slope.dims(), x.dims());
            float[] out = new float[x.size()];
            for (int i = 0; i < out.length; i++) {
                float v = x.floats[i];
                out[i] = v < 0 ? slope.floats[index[i]] * v : v;
            }
            return OpContext.one(FloatTensor.wrap(x.dims(), out));
        });

        // Variadic, broadcasting.
        ops.put("Max", c -> variadic(c, (a, b) -> Float.isNaN(a) || Float.isNaN(b) ? Float.NaN : Math.max(a, b),
                Math::max));
        ops.put("Min", c -> variadic(c, (a, b) -> Float.isNaN(a) || Float.isNaN(b) ? Float.NaN : Math.min(a, b),
                Math::min));
        ops.put("Sum", c -> variadic(c, (a, b) -> a + b, Math::addExact));
        ops.put("Mean", c -> {
            FloatTensor sum = variadic(c, (a, b) -> a + b, null)[0];
            float[] out = new float[sum.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = sum.floats[i] / c.inputCount();
            }
            return OpContext.one(FloatTensor.wrap(sum.dims(), out));
        });

        // Comparisons and logic, producing BOOL.
        compare(ops, "Equal", (a, b) -> a == b, (a, b) -> a == b);
        compare(ops, "Less", (a, b) -> a < b, (a, b) -> a < b);
        compare(ops, "LessOrEqual", (a, b) -> a <= b, (a, b) -> a <= b);
        compare(ops, "Greater", (a, b) -> a > b, (a, b) -> a > b);
        compare(ops, "GreaterOrEqual", (a, b) -> a >= b, (a, b) -> a >= b);
        logic(ops, "And", (a, b) -> a & b);
        logic(ops, "Or", (a, b) -> a | b);
        logic(ops, "Xor", (a, b) -> a ^ b);
        ops.put("Where", ElementwiseOps::where);
        ops.put("Clip", ElementwiseOps::clip);
    }

    // ---------------------------------------------------------------- unary

    private static void unary(Map<String, Op> ops, String name, DoubleUnaryOperator f) {
        ops.put(name, c -> map(c, f));
    }

    /** Applies {@code f} (in double) to every element of the FLOAT input 0. */
    static FloatTensor[] map(OpContext c, DoubleUnaryOperator f) {
        FloatTensor x = c.floatInput(0);
        float[] out = new float[x.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) f.applyAsDouble(x.floats[i]);
        }
        return OpContext.one(FloatTensor.wrap(x.dims(), out));
    }

    /** A unary operator defined on FLOAT and INT64. */
    private static FloatTensor[] signed(OpContext c, DoubleUnaryOperator f, LongUnaryOperator g) {
        FloatTensor x = c.input(0);
        if (x.type() == DataType.INT64) {
            long[] out = new long[x.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = g.applyAsLong(x.longs[i]);
            }
            return OpContext.one(FloatTensor.wrapLongs(DataType.INT64, x.dims(), out));
        }
        return map(c, f);
    }

    private interface FloatTest {
        boolean test(float x);
    }

    private static FloatTensor[] predicate(FloatTensor x, FloatTest test) {
        long[] out = new long[x.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = test.test(x.floats[i]) ? 1 : 0;
        }
        return OpContext.one(FloatTensor.wrapLongs(DataType.BOOL, x.dims(), out));
    }

    private static FloatTensor bool(OpContext c, int i) {
        FloatTensor t = c.input(i);
        if (t.type() != DataType.BOOL) {
            throw new IllegalArgumentException("input #" + i + " must be BOOL, got " + t.type());
        }
        return t;
    }

    /**
     * The error function, to double precision: the series erf(x) = 2/sqrt(pi) exp(-x^2) sum_n (2x^2)^n x / (1*3*...*
     * (2n+1)), whose terms are all positive (no cancellation); |erf(x)| rounds to 1 in float beyond |x| = 6.
     */
    static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double a = Math.abs(x);
        if (a >= 6) {
            return Math.signum(x);
        }
        double term = a;
        double sum = a;
        for (int n = 1; n < 500 && term > sum * 1e-17; n++) {
            term *= 2 * a * a / (2 * n + 1);
            sum += term;
        }
        return Math.signum(x) * 2 / Math.sqrt(Math.PI) * Math.exp(-a * a) * sum;
    }

    // ---------------------------------------------------------------- binary

    private static void arithmetic(Map<String, Op> ops, String name, FloatBinary f, LongBinaryOperator g) {
        ops.put(name, c -> OpContext.one(binary(c.input(0), c.input(1), f, g)));
    }

    /** A broadcasting binary operation on two FLOAT or two INT64 tensors. */
    static FloatTensor binary(FloatTensor a, FloatTensor b, FloatBinary f, LongBinaryOperator g) {
        if (a.type() != b.type()) {
            throw new IllegalArgumentException("operands have different element types: " + a.type() + " and "
                    + b.type());
        }
        int[] shape = Shapes.broadcast(a.dims(), b.dims());
        int[] ia = Shapes.broadcastIndex(a.dims(), shape);
        int[] ib = Shapes.broadcastIndex(b.dims(), shape);
        if (a.type() == DataType.FLOAT) {
            float[] out = new float[ia.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = f.apply(a.floats[ia[i]], b.floats[ib[i]]);
            }
            return FloatTensor.wrap(shape, out);
        }
        if (a.type() != DataType.INT64 || g == null) {
            throw new IllegalArgumentException("operation not defined on " + a.type() + " tensors");
        }
        long[] out = new long[ia.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = g.applyAsLong(a.longs[ia[i]], b.longs[ib[i]]);
        }
        return FloatTensor.wrapLongs(DataType.INT64, shape, out);
    }

    /** Pow: the result has the base's type; the exponent may be FLOAT or INT64. */
    private static FloatTensor[] pow(OpContext c) {
        FloatTensor base = c.input(0);
        FloatTensor exponent = c.input(1);
        if (base.type() == DataType.BOOL || exponent.type() == DataType.BOOL) {
            throw new IllegalArgumentException("Pow is not defined on BOOL tensors");
        }
        int[] shape = Shapes.broadcast(base.dims(), exponent.dims());
        int[] ia = Shapes.broadcastIndex(base.dims(), shape);
        int[] ib = Shapes.broadcastIndex(exponent.dims(), shape);
        if (base.isFloat()) {
            float[] out = new float[ia.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) Math.pow(base.floats[ia[i]], exponent.getDouble(ib[i]));
            }
            return OpContext.one(FloatTensor.wrap(shape, out));
        }
        long[] out = new long[ia.length];
        for (int i = 0; i < out.length; i++) {
            long b = base.longs[ia[i]];
            if (exponent.isFloat()) {
                out[i] = (long) Math.pow(b, exponent.floats[ib[i]]);
            } else {
                long e = exponent.longs[ib[i]];
                long r = 1;
                for (long k = 0; k < e; k++) {
                    r = Math.multiplyExact(r, b);
                }
                out[i] = e < 0 ? (long) Math.pow(b, e) : r;
            }
        }
        return OpContext.one(FloatTensor.wrapLongs(DataType.INT64, shape, out));
    }

    /** Folds all inputs (at least one) pairwise, left to right, with broadcasting. */
    private static FloatTensor[] variadic(OpContext c, FloatBinary f, LongBinaryOperator g) {
        FloatTensor result = c.input(0);
        if (c.inputCount() == 1) {
            // a single input still has to be of a supported type
            return OpContext.one(binary(result, result, (a, b) -> a, (a, b) -> a));
        }
        for (int i = 1; i < c.inputCount(); i++) {
            result = binary(result, c.input(i), f, g);
        }
        return OpContext.one(result);
    }

    private static void compare(Map<String, Op> ops, String name, FloatPredicate2 f, LongPredicate2 g) {
        ops.put(name, c -> {
            FloatTensor a = c.input(0);
            FloatTensor b = c.input(1);
            if (a.type() != b.type()) {
                throw new IllegalArgumentException("operands have different element types: " + a.type() + " and "
                        + b.type());
            }
            int[] shape = Shapes.broadcast(a.dims(), b.dims());
            int[] ia = Shapes.broadcastIndex(a.dims(), shape);
            int[] ib = Shapes.broadcastIndex(b.dims(), shape);
            long[] out = new long[ia.length];
            for (int i = 0; i < out.length; i++) {
                boolean r = a.isFloat() ? f.test(a.floats[ia[i]], b.floats[ib[i]])
                        : g.test(a.longs[ia[i]], b.longs[ib[i]]);
                out[i] = r ? 1 : 0;
            }
            return OpContext.one(FloatTensor.wrapLongs(DataType.BOOL, shape, out));
        });
    }

    private static void logic(Map<String, Op> ops, String name, LongBinaryOperator f) {
        ops.put(name, c -> {
            FloatTensor a = bool(c, 0);
            FloatTensor b = bool(c, 1);
            int[] shape = Shapes.broadcast(a.dims(), b.dims());
            int[] ia = Shapes.broadcastIndex(a.dims(), shape);
            int[] ib = Shapes.broadcastIndex(b.dims(), shape);
            long[] out = new long[ia.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = f.applyAsLong(a.longs[ia[i]], b.longs[ib[i]]);
            }
            return OpContext.one(FloatTensor.wrapLongs(DataType.BOOL, shape, out));
        });
    }

    private static FloatTensor[] where(OpContext c) {
        FloatTensor condition = bool(c, 0);
        FloatTensor x = c.input(1);
        FloatTensor y = c.input(2);
        if (x.type() != y.type()) {
            throw new IllegalArgumentException("X and Y have different element types: " + x.type() + " and "
                    + y.type());
        }
        int[] shape = Shapes.broadcast(Shapes.broadcast(condition.dims(), x.dims()), y.dims());
        int[] ic = Shapes.broadcastIndex(condition.dims(), shape);
        int[] ix = Shapes.broadcastIndex(x.dims(), shape);
        int[] iy = Shapes.broadcastIndex(y.dims(), shape);
        if (x.isFloat()) {
            float[] out = new float[ic.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = condition.longs[ic[i]] != 0 ? x.floats[ix[i]] : y.floats[iy[i]];
            }
            return OpContext.one(FloatTensor.wrap(shape, out));
        }
        long[] out = new long[ic.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = condition.longs[ic[i]] != 0 ? x.longs[ix[i]] : y.longs[iy[i]];
        }
        return OpContext.one(FloatTensor.wrapLongs(x.type(), shape, out));
    }

    /** Clip: bounds are attributes before opset 11, optional scalar inputs from opset 11 on. */
    private static FloatTensor[] clip(OpContext c) {
        FloatTensor x = c.input(0);
        if (x.type() == DataType.INT64) {
            long lo = c.hasInput(1) ? scalarLong(c.input(1), "min") : Long.MIN_VALUE;
            long hi = c.hasInput(2) ? scalarLong(c.input(2), "max") : Long.MAX_VALUE;
            long[] out = new long[x.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = Math.min(Math.max(x.longs[i], lo), hi);
            }
            return OpContext.one(FloatTensor.wrapLongs(DataType.INT64, x.dims(), out));
        }
        x = c.floatInput(0);
        float lo;
        float hi;
        if (c.opset < 11) {
            lo = c.floatAttr("min", -Float.MAX_VALUE);
            hi = c.floatAttr("max", Float.MAX_VALUE);
        } else {
            lo = c.hasInput(1) ? scalarFloat(c.floatInput(1), "min") : Float.NEGATIVE_INFINITY;
            hi = c.hasInput(2) ? scalarFloat(c.floatInput(2), "max") : Float.POSITIVE_INFINITY;
        }
        float[] out = new float[x.size()];
        for (int i = 0; i < out.length; i++) {
            // min(max(x, lo), hi), as numpy.clip does: when lo > hi every value becomes hi
            float v = x.floats[i];
            v = v < lo ? lo : v;
            out[i] = v > hi ? hi : v;
        }
        return OpContext.one(FloatTensor.wrap(x.dims(), out));
    }

    static float scalarFloat(FloatTensor t, String what) {
        if (t.size() != 1) {
            throw new IllegalArgumentException(what + " must be a scalar, got shape " + Shapes.str(t.dims()));
        }
        return t.floats[0];
    }

    static long scalarLong(FloatTensor t, String what) {
        if (t.size() != 1 || t.isFloat()) {
            throw new IllegalArgumentException(what + " must be an integer scalar, got " + t.type() + " of shape "
                    + Shapes.str(t.dims()));
        }
        return t.longs[0];
    }
}
