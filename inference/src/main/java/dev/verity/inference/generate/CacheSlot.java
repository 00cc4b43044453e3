package dev.verity.inference.generate;

import dev.verity.inference.program.Op;

/**
 * One key or value cache of a {@link DecoderStep}: the program input holding the cache before a token and the program
 * output holding it after (the input with the token's row written). The output of one run is the input of the next.
 */
public record CacheSlot(String input, String output) {
    public CacheSlot {
        Op.checkName(input);
        Op.checkName(output);
        if (input.equals(output)) {
            throw new IllegalArgumentException("cache '" + input + "' needs distinct input and output names");
        }
    }
}
