package dev.verity.inference.generate;

import dev.verity.core.Hash;
import java.util.List;

/**
 * What a generation produced.
 *
 * @param tokens      the generated tokens, without the end token or the stop sequence that ended them
 * @param finishReason why it ended
 * @param passHashes  for every forward pass (one per token fed: the prompt, then each generated token but the last),
 *                    the hash of its final state, which holds the logits and the written caches
 */
public record GenerationResult(List<Integer> tokens, FinishReason finishReason, List<Hash> passHashes) {
    public GenerationResult {
        tokens = List.copyOf(tokens);
        passHashes = List.copyOf(passHashes);
        if (finishReason == null) {
            throw new IllegalArgumentException("a generation result needs its finish reason");
        }
    }

    public int[] tokenArray() {
        return tokens.stream().mapToInt(Integer::intValue).toArray();
    }
}
