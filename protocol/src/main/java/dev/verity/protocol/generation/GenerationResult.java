package dev.verity.protocol.generation;

import dev.verity.core.Decoder;
import dev.verity.core.DecodingException;
import dev.verity.core.Encoder;

/**
 * The output of a text-generation job: the generated token ids (the prompt is not repeated) and why generation stopped.
 *
 * <p>Encoding: {@code u8 version (1)}, {@code u32 n} then {@code n u32} ids, {@code u8 finish reason}. Nothing may follow.
 */
public record GenerationResult(int[] tokens, FinishReason finishReason) {
    public static final int VERSION = 1;

    public GenerationResult {
        tokens = tokens.clone();
    }

    @Override
    public int[] tokens() {
        return tokens.clone();
    }

    public int length() {
        return tokens.length;
    }

    public byte[] encode() {
        Encoder e = new Encoder(8 + 4 * tokens.length).u8(VERSION).u32(tokens.length);
        for (int id : tokens) {
            e.u32(Integer.toUnsignedLong(id));
        }
        return e.u8(finishReason.code()).toByteArray();
    }

    public static GenerationResult decode(byte[] bytes) {
        Decoder d = new Decoder(bytes);
        int version = d.u8("generation result version");
        if (version != VERSION) {
            throw new DecodingException("generation result version " + version + " is not known (this node reads "
                    + VERSION + ")");
        }
        long n = d.u32("generated length");
        if (n * 4 > d.remaining()) {
            throw new DecodingException("the result claims " + n + " tokens but holds bytes for at most " + d.remaining() / 4);
        }
        int[] tokens = new int[(int) n];
        for (int i = 0; i < n; i++) {
            tokens[i] = (int) d.u32("generated token");
        }
        FinishReason reason;
        try {
            reason = FinishReason.fromCode(d.u8("finish reason"));
        } catch (IllegalArgumentException e) {
            throw new DecodingException(e.getMessage());
        }
        d.end("generation result");
        return new GenerationResult(tokens, reason);
    }

    /**
     * Null when this result can answer {@code request} on a model of {@code vocabularySize} ids and a context of
     * {@code contextLength} tokens; otherwise what is wrong. Only what needs no model run is checked: the length,
     * the ids, and that the finish reason agrees with them.
     */
    public String problemFor(GenerationRequest request, long vocabularySize, int contextLength) {
        int room = Math.min(request.maxTokens(), contextLength - request.promptLength());
        if (tokens.length > room) {
            return "the result holds " + tokens.length + " tokens, more than the " + room + " the request allows";
        }
        for (int i = 0; i < tokens.length; i++) {
            if (Integer.toUnsignedLong(tokens[i]) >= vocabularySize) {
                return "generated token " + i + " is id " + Integer.toUnsignedLong(tokens[i])
                        + ", outside the vocabulary of " + vocabularySize + " ids";
            }
        }
        if (finishReason == FinishReason.LENGTH && tokens.length != room) {
            return "the result stops for length after " + tokens.length + " tokens, but the request allows " + room;
        }
        if (finishReason == FinishReason.STOP_SEQUENCE && !endsWithStop(request)) {
            return "the result stops for a stop sequence, but it ends with none of the request's";
        }
        return null;
    }

    private boolean endsWithStop(GenerationRequest request) {
        for (int[] stop : request.stopSequences()) {
            if (stop.length <= tokens.length) {
                boolean match = true;
                for (int i = 0; i < stop.length && match; i++) {
                    match = tokens[tokens.length - stop.length + i] == stop[i];
                }
                if (match) {
                    return true;
                }
            }
        }
        return false;
    }
}
