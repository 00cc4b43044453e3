package dev.verity.inference.engine;

import dev.verity.core.Hash;
import dev.verity.inference.program.Tensor;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A complete run: the program outputs, the hash of the initial state (the inputs) and the state hash
 * after every step of the plan, in plan order.
 */
public record RunResult(SortedMap<String, Tensor> outputs, Hash inputHash, List<Hash> stepHashes) {
    public RunResult {
        outputs = Collections.unmodifiableSortedMap(new TreeMap<>(outputs));
        stepHashes = List.copyOf(stepHashes);
    }

    /** The hash of the final state (holding exactly the program outputs), or the input hash for an empty plan. */
    public Hash finalHash() {
        return stepHashes.isEmpty() ? inputHash : stepHashes.get(stepHashes.size() - 1);
    }
}
