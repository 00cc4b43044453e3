package dev.verity.inference.trace;

import dev.verity.core.Decoder;
import dev.verity.core.Encoder;
import dev.verity.inference.generate.CacheSlot;
import dev.verity.inference.generate.DecoderStep;
import dev.verity.inference.generate.GenerationParameters;
import dev.verity.inference.program.ProgramCodec;
import dev.verity.inference.program.TensorSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Leaf 0 of a {@link DecoderCommitment}: what the transitions between a generation's forward passes need, namely the
 * roles of the step program's tensors (see {@link DecoderStep}), the model's end token and the plan's size.
 *
 * <pre>
 *   string "verity.inference.trace.decoder.v1"
 *   string tokenInput, string positionInput           INT32 [1] each
 *   tensorSpec logits                                   the logits output (its scale turns logits into nats)
 *   u32 n, n x (tensorSpec cacheInput, string cacheOutput)   by input name, ascending
 *   u32 n, n x string                                   every program output, sorted: the names of a pass's final state
 *   u32 contextLength
 *   i32 endToken                                        -1: none
 *   u32 stepCount, u32 opCount
 * </pre>
 */
public record DecoderLeaf(String tokenInput, String positionInput, TensorSpec logits, List<Cache> caches,
                          List<String> outputNames, int contextLength, int endToken, int stepCount, int opCount) {
    static final String TAG = "verity.inference.trace.decoder.v1";

    /** One cache: its input's spec (a pass starts from zeros of it) and the output that feeds the next pass. */
    public record Cache(TensorSpec input, String output) {
        public Cache {
            if (input == null || output == null) {
                throw new IllegalArgumentException("a cache needs its input spec and output name");
            }
            new CacheSlot(input.name(), output); // checks both names
        }
    }

    public DecoderLeaf {
        if (tokenInput == null || positionInput == null || logits == null || caches == null || outputNames == null) {
            throw new IllegalArgumentException("a decoder leaf needs every field");
        }
        caches = List.copyOf(caches);
        outputNames = List.copyOf(outputNames);
        Names.requireAscending(caches.stream().map(c -> c.input().name()).toList(), "cache inputs");
        Names.requireAscending(outputNames, "output names");
        if (!outputNames.contains(logits.name())) {
            throw new IllegalArgumentException("the logits '" + logits.name() + "' are not among the outputs " + outputNames);
        }
        if (logits.dtype() == null || logits.rank() != 2 || logits.dim(0) != 1 || logits.dim(1) < 1) {
            throw new IllegalArgumentException("the logits must be [1, vocabSize], are " + logits);
        }
        List<String> expected = new ArrayList<>();
        expected.add(logits.name());
        for (Cache c : caches) {
            expected.add(c.output());
            if (c.input().name().equals(tokenInput) || c.input().name().equals(positionInput)) {
                throw new IllegalArgumentException("cache '" + c.input().name() + "' reuses the token or position input");
            }
        }
        if (!new java.util.TreeSet<>(expected).equals(new java.util.TreeSet<>(outputNames)) || expected.size() != outputNames.size()) {
            throw new IllegalArgumentException("the outputs " + outputNames + " must be exactly the logits and the cache outputs "
                    + expected);
        }
        if (tokenInput.equals(positionInput)) {
            throw new IllegalArgumentException("token and position need separate inputs");
        }
        if (contextLength < 1 || endToken < GenerationParameters.NO_END_TOKEN || endToken >= logits.dim(1) || stepCount < 1
                || opCount < 1) {
            throw new IllegalArgumentException("context " + contextLength + ", end token " + endToken + ", " + stepCount
                    + " steps, " + opCount + " ops: out of range");
        }
    }

    /** The leaf of {@code step} with end token {@code endToken} (or {@link GenerationParameters#NO_END_TOKEN}). */
    public static DecoderLeaf of(DecoderStep step, int endToken, int stepCount) {
        List<Cache> caches = new ArrayList<>();
        for (CacheSlot c : step.caches()) {
            caches.add(new Cache(step.program().tensor(c.input()), c.output()));
        }
        caches.sort((a, b) -> a.input().name().compareTo(b.input().name()));
        return new DecoderLeaf(step.tokenInput(), step.positionInput(), step.logitsSpec(), caches,
                step.program().outputs().stream().sorted().toList(), step.contextLength(), endToken, stepCount,
                step.program().ops().size());
    }

    public int vocabSize() {
        return logits.dim(1);
    }

    public byte[] encode() {
        Encoder e = new Encoder(512);
        e.string(TAG).string(tokenInput).string(positionInput);
        ProgramCodec.writeSpec(e, logits);
        e.list(caches, (enc, c) -> {
            ProgramCodec.writeSpec(enc, c.input());
            enc.string(c.output());
        });
        e.list(outputNames, Encoder::string);
        e.u32(contextLength).u32(Integer.toUnsignedLong(endToken)).u32(stepCount).u32(opCount);
        return e.toByteArray();
    }

    /** Reads {@link #encode()}'s bytes, strictly (nothing may follow). */
    public static DecoderLeaf decode(byte[] bytes) {
        Decoder d = new Decoder(bytes);
        Names.tag(d, TAG, "decoder leaf");
        String token = ProgramCodec.name(d, "token input");
        String position = ProgramCodec.name(d, "position input");
        TensorSpec logits = ProgramCodec.readSpec(d);
        List<Cache> caches = ProgramCodec.list(d, "decoder leaf caches", 20, x -> {
            TensorSpec in = ProgramCodec.readSpec(x);
            String out = ProgramCodec.name(x, "cache output");
            return ProgramCodec.guard("cache '" + in.name() + "'", () -> new Cache(in, out));
        });
        List<String> outputs = ProgramCodec.list(d, "decoder leaf output names", 5, x -> ProgramCodec.name(x, "output name"));
        int context = d.u31("context length");
        int end = (int) d.u32("end token");
        int steps = d.u31("step count");
        int ops = d.u31("op count");
        d.end("decoder leaf");
        return ProgramCodec.guard("decoder leaf", () -> new DecoderLeaf(token, position, logits, caches, outputs, context, end,
                steps, ops));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DecoderLeaf other && Arrays.equals(encode(), other.encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }
}
