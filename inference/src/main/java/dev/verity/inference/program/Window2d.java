package dev.verity.inference.program;

/**
 * A 2-D sliding window over the last two axes of an NCHW tensor, as in ONNX Conv and pooling:
 * input row {@code ih = oh * strideH - padTop + kh * dilationH}, column
 * {@code iw = ow * strideW - padLeft + kw * dilationW}. Positions outside the input are padding.
 */
public record Window2d(int kernelH, int kernelW, int strideH, int strideW, int padTop, int padLeft, int padBottom,
                       int padRight, int dilationH, int dilationW) {
    /** Upper bound on kernel sides, strides, dilations and pads, so index arithmetic never overflows. */
    public static final int MAX = 1 << 16;

    public Window2d {
        check("kernel", kernelH, 1);
        check("kernel", kernelW, 1);
        check("stride", strideH, 1);
        check("stride", strideW, 1);
        check("dilation", dilationH, 1);
        check("dilation", dilationW, 1);
        check("pad", padTop, 0);
        check("pad", padLeft, 0);
        check("pad", padBottom, 0);
        check("pad", padRight, 0);
    }

    private static void check(String what, int v, int min) {
        if (v < min || v > MAX) {
            throw new IllegalArgumentException(what + " " + v + " outside [" + min + ", " + MAX + "]");
        }
    }

    /** A window of the given size, stride 1, no padding, no dilation. */
    public static Window2d of(int kernelH, int kernelW) {
        return new Window2d(kernelH, kernelW, 1, 1, 0, 0, 0, 0, 1, 1);
    }
}
