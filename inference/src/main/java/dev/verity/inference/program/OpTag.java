package dev.verity.inference.program;

/**
 * The {@code u8} tag that opens each {@link Op} in {@link ProgramCodec}'s encoding. Program leaves are hashed into
 * the program root registered on chain, so these numbers are consensus: never reused or renumbered. Each constant
 * is named after its op class in upper case ({@code QConv2d} is {@link #QCONV2D}); {@code OpTagTest} pins them.
 */
public final class OpTag {
    public static final int QLINEAR = 1;
    public static final int QCONV2D = 2;
    public static final int QADD = 3;
    public static final int QSUB = 4;
    public static final int QMUL = 5;
    public static final int RESCALE = 6;
    public static final int CLAMP = 7;
    public static final int LEAKYRELU = 8;
    public static final int LUT = 9;
    public static final int MAXPOOL = 10;
    public static final int AVERAGEPOOL = 11;
    public static final int SOFTMAX = 12;
    public static final int RESHAPE = 13;
    public static final int TRANSPOSE = 14;
    public static final int CONCAT = 15;
    public static final int QMATMUL = 16;
    public static final int LAYERNORM = 17;
    public static final int CAUSALSOFTMAX = 18;
    public static final int GATHER = 19;
    public static final int CACHEWRITE = 20;

    private OpTag() {}
}
