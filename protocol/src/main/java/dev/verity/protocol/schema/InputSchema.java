package dev.verity.protocol.schema;

import dev.verity.core.Decoder;
import dev.verity.core.DecodingException;
import dev.verity.core.Encoder;
import dev.verity.protocol.generation.GenerationRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * What a model accepts as a job input, declared on chain when the model is registered and checked by the
 * ledger at submission, so an input no node could run is refused before anything is escrowed or assigned.
 * Every check is cheap (one pass over the bytes) and integer-only: float values are judged by their
 * IEEE-754 bit patterns. {@link #problem(byte[])} names the first offending element or byte.
 *
 * <p>Encoding (docs/PROTOCOL.md): {@code u8 kind} then the kind's fields.
 */
public sealed interface InputSchema {
    /** The largest number of dimensions a tensor schema may declare. */
    int MAX_RANK = 8;

    /** The stable code of this kind in consensus bytes. */
    int kind();

    /** The most bytes an input of this schema can have. */
    long byteLimit();

    /** Null when {@code input} matches the schema; otherwise what is wrong, naming the first offending element or byte. */
    String problem(byte[] input);

    /** Null when the declaration itself is valid under the chain's input limit; otherwise what is wrong. */
    String declarationProblem(int chainMaxInputBytes);

    /** One line for people: "UTF-8 text, 1 to 4096 bytes". */
    String describe();

    /**
     * UTF-8 text of {@code minBytes} to {@code maxBytes} bytes: well-formed (no overlong forms, no surrogates, no
     * code point above U+10FFFF) and without NUL.
     */
    record Utf8Text(int minBytes, int maxBytes) implements InputSchema {
        public static final int KIND = 1;

        @Override
        public int kind() {
            return KIND;
        }

        @Override
        public long byteLimit() {
            return maxBytes;
        }

        @Override
        public String problem(byte[] input) {
            if (input.length < minBytes || input.length > maxBytes) {
                return "the text is " + input.length + " bytes; this model takes " + minBytes + " to " + maxBytes + " bytes of UTF-8";
            }
            return Utf8.problem(input);
        }

        @Override
        public String declarationProblem(int chainMaxInputBytes) {
            if (minBytes < 0 || maxBytes < 1 || minBytes > maxBytes || maxBytes > chainMaxInputBytes) {
                return "a text schema needs 0 <= minBytes <= maxBytes, 1 <= maxBytes <= " + chainMaxInputBytes + ", got "
                        + minBytes + ".." + maxBytes;
            }
            return null;
        }

        @Override
        public String describe() {
            return "UTF-8 text, " + minBytes + " to " + maxBytes + " bytes";
        }
    }

    /**
     * A float32 tensor, little-endian, row-major, of exactly {@code shape}: every value finite and within
     * [{@code minBits}, {@code maxBits}] (float32 bit patterns, compared as the numbers they are). Subnormals are
     * numbers and pass when in range; -0 equals +0.
     */
    record Float32Tensor(List<Integer> shape, int minBits, int maxBits) implements InputSchema {
        public static final int KIND = 2;

        public Float32Tensor {
            shape = List.copyOf(shape);
        }

        @Override
        public int kind() {
            return KIND;
        }

        /** The number of values, or -1 when the shape is invalid or too large. */
        public long elementCount() {
            long n = 1;
            for (int d : shape) {
                if (d < 1) {
                    return -1;
                }
                n *= d;
                if (n > Integer.MAX_VALUE / 4) {
                    return -1;
                }
            }
            return n;
        }

        @Override
        public long byteLimit() {
            return 4 * Math.max(0, elementCount());
        }

        @Override
        public String problem(byte[] input) {
            long n = elementCount();
            if (input.length != 4 * n) {
                return "this model takes a float32 tensor of shape " + shape + ": " + n + " values, " + 4 * n
                        + " bytes; got " + input.length + " bytes";
            }
            long min = Float32.orderKey(minBits);
            long max = Float32.orderKey(maxBits);
            for (int i = 0; i < n; i++) {
                int bits = Float32.bitsAt(input, i);
                if (!Float32.isFinite(bits)) {
                    return "element " + i + " of " + n + " is " + Float32.nonFiniteName(bits) + "; this model takes finite values";
                }
                long key = Float32.orderKey(bits);
                if (key < min || key > max) {
                    return "element " + i + " of " + n + " (float32 bits 0x" + Float32.hex(bits) + ") is outside the declared range "
                            + "[0x" + Float32.hex(minBits) + ", 0x" + Float32.hex(maxBits) + "] (float32 bits)";
                }
            }
            return null;
        }

        @Override
        public String declarationProblem(int chainMaxInputBytes) {
            if (shape.isEmpty() || shape.size() > MAX_RANK) {
                return "a tensor schema has 1 to " + MAX_RANK + " dimensions, got " + shape.size();
            }
            long n = elementCount();
            if (n < 1 || 4 * n > chainMaxInputBytes) {
                return "a tensor of shape " + shape + " must have positive dimensions and fit the chain's input limit of "
                        + chainMaxInputBytes + " bytes";
            }
            if (!Float32.isFinite(minBits) || !Float32.isFinite(maxBits) || Float32.orderKey(minBits) > Float32.orderKey(maxBits)) {
                return "a tensor schema's range must be two finite float32 values, min <= max";
            }
            return null;
        }

        @Override
        public String describe() {
            return "float32 tensor " + shape + ", finite values in [0x" + Float32.hex(minBits) + ", 0x" + Float32.hex(maxBits)
                    + "] (float32 bits)";
        }
    }

    /** Token ids: {@code 1..maxTokens} unsigned 32-bit little-endian integers, each below {@code vocabularySize}. */
    record TokenIds(int maxTokens, long vocabularySize) implements InputSchema {
        public static final int KIND = 3;

        @Override
        public int kind() {
            return KIND;
        }

        @Override
        public long byteLimit() {
            return 4L * maxTokens;
        }

        @Override
        public String problem(byte[] input) {
            if (input.length == 0 || input.length % 4 != 0 || input.length / 4 > maxTokens) {
                return "this model takes 1 to " + maxTokens + " token ids of 4 bytes each; got " + input.length + " bytes";
            }
            for (int i = 0; i < input.length / 4; i++) {
                long id = Integer.toUnsignedLong(Float32.bitsAt(input, i));
                if (id >= vocabularySize) {
                    return "token " + i + " is id " + id + ", outside the vocabulary of " + vocabularySize + " ids";
                }
            }
            return null;
        }

        @Override
        public String declarationProblem(int chainMaxInputBytes) {
            if (maxTokens < 1 || 4L * maxTokens > chainMaxInputBytes || vocabularySize < 1 || vocabularySize > 0xFFFF_FFFFL) {
                return "a token schema needs 1 <= maxTokens with 4 * maxTokens <= " + chainMaxInputBytes
                        + " and a vocabulary of 1 to 2^32-1 ids";
            }
            return null;
        }

        @Override
        public String describe() {
            return "1 to " + maxTokens + " token ids (u32 LE) below " + vocabularySize;
        }
    }

    /**
     * A text-generation request ({@link GenerationRequest}) for a model of {@code vocabularySize} ids and a context of
     * {@code contextLength} tokens: the prompt and the new tokens together fit the context, and at most
     * {@code maxNewTokens} new tokens. The fee follows the tokens: {@code promptUnits} compute units per prompt token
     * and {@code generatedUnits} per generated token, on top of the model's units per job; the escrow covers
     * {@code maxTokens} generated tokens and settlement charges those generated.
     */
    record TokenGeneration(long vocabularySize, int contextLength, int maxNewTokens, long promptUnits, long generatedUnits)
            implements InputSchema {
        public static final int KIND = 4;

        @Override
        public int kind() {
            return KIND;
        }

        @Override
        public long byteLimit() {
            return 1 + 4 + 4L * (contextLength - 1) + 12 + 1
                    + (long) GenerationRequest.MAX_STOP_SEQUENCES * (1 + 4 * GenerationRequest.MAX_STOP_TOKENS) + 8;
        }

        @Override
        public String problem(byte[] input) {
            GenerationRequest r;
            try {
                r = GenerationRequest.decode(input);
            } catch (DecodingException e) {
                return "not a generation request: " + e.getMessage();
            }
            if (r.promptLength() >= contextLength) {
                return "the prompt holds " + r.promptLength() + " tokens; this model's context of " + contextLength
                        + " leaves room for at most " + (contextLength - 1);
            }
            if (r.maxTokens() > maxNewTokens) {
                return "max tokens is " + r.maxTokens() + "; this model generates at most " + maxNewTokens;
            }
            if ((long) r.promptLength() + r.maxTokens() > contextLength) {
                return "the prompt's " + r.promptLength() + " tokens and " + r.maxTokens() + " new tokens exceed this model's"
                        + " context of " + contextLength + "; ask for at most " + (contextLength - r.promptLength());
            }
            return r.vocabularyProblem(vocabularySize);
        }

        @Override
        public String declarationProblem(int chainMaxInputBytes) {
            if (vocabularySize < 1 || vocabularySize > 0xFFFF_FFFFL || contextLength < 2 || maxNewTokens < 1
                    || maxNewTokens >= contextLength || promptUnits < 0 || generatedUnits < 1
                    || promptUnits > MAX_UNITS_PER_TOKEN || generatedUnits > MAX_UNITS_PER_TOKEN) {
                return "a generation schema needs a vocabulary of 1 to 2^32-1 ids, a context of at least 2 tokens, 1 <= "
                        + "maxNewTokens < context, 0 to " + MAX_UNITS_PER_TOKEN + " compute units per prompt token and 1 to "
                        + MAX_UNITS_PER_TOKEN + " per generated token";
            }
            if (byteLimit() > chainMaxInputBytes) {
                return "a request for a context of " + contextLength + " tokens can be " + byteLimit()
                        + " bytes, more than the chain's input limit of " + chainMaxInputBytes;
            }
            return null;
        }

        @Override
        public String describe() {
            return "a generation request: prompt and up to " + maxNewTokens + " new tokens within a context of "
                    + contextLength + ", ids below " + vocabularySize + "; " + promptUnits + " compute units per prompt token, "
                    + generatedUnits + " per generated token";
        }

        /** The compute units of a request's prompt and {@code generated} new tokens, beside the model's per-job units. */
        public long tokenUnits(int promptTokens, int generated) {
            return Math.addExact(Math.multiplyExact(promptUnits, (long) promptTokens),
                    Math.multiplyExact(generatedUnits, (long) generated));
        }
    }

    /** The most compute units a generation schema may charge per token (keeps a job's units far from overflow). */
    long MAX_UNITS_PER_TOKEN = 1L << 40;

    static void write(Encoder e, InputSchema s) {
        e.u8(s.kind());
        switch (s) {
            case Utf8Text t -> e.u32(t.minBytes()).u32(t.maxBytes());
            case Float32Tensor t -> e.list(t.shape(), (x, d) -> x.u32(d)).u32(Integer.toUnsignedLong(t.minBits()))
                    .u32(Integer.toUnsignedLong(t.maxBits()));
            case TokenIds t -> e.u32(t.maxTokens()).u32(t.vocabularySize());
            case TokenGeneration t -> e.u32(t.vocabularySize()).u32(t.contextLength()).u32(t.maxNewTokens())
                    .u64(t.promptUnits()).u64(t.generatedUnits());
        }
    }

    static InputSchema read(Decoder d) {
        int kind = d.u8("input schema kind");
        return switch (kind) {
            case Utf8Text.KIND -> new Utf8Text(d.u31("min bytes"), d.u31("max bytes"));
            case Float32Tensor.KIND -> {
                List<Integer> shape = new ArrayList<>(d.list("shape", MAX_RANK, x -> x.u31("dimension")));
                yield new Float32Tensor(shape, (int) d.u32("min"), (int) d.u32("max"));
            }
            case TokenIds.KIND -> new TokenIds(d.u31("max tokens"), d.u32("vocabulary size"));
            case TokenGeneration.KIND -> new TokenGeneration(d.u32("vocabulary size"), d.u31("context length"),
                    d.u31("max new tokens"), d.u64("prompt units"), d.u64("generated units"));
            default -> throw new DecodingException("unknown input schema kind " + kind);
        };
    }


    /** The canonical bytes of a schema. */
    static byte[] encode(InputSchema s) {
        Encoder e = new Encoder(32);
        write(e, s);
        return e.toByteArray();
    }
}
