package dev.verity.inference.program;

import java.util.List;

/**
 * A key/value cache with one slice replaced: the output is {@code cache} with index {@code position} (an
 * INT32 {@code [1]} input) along {@code axis} taken from {@code update}, which has the cache's shape with
 * dimension 1 on that axis, and the cache's type and quantization:
 *
 * <pre>
 *   y[..., t, ...] = t == position ? update[..., 0, ...] : cache[..., t, ...]
 * </pre>
 *
 * A position outside the axis leaves the cache unchanged. The cache travels through the program as an input
 * and the written copy as an output, so a generation's cache is part of every state the trace commits to.
 */
public record CacheWrite(String cache, String update, String position, String output, int axis) implements Op {
    public CacheWrite {
        Op.checkName(cache);
        Op.checkName(update);
        Op.checkName(position);
        Op.checkName(output);
        if (axis < 0 || axis >= Shapes.MAX_RANK) {
            throw new IllegalArgumentException("CacheWrite axis " + axis + " out of range");
        }
    }

    @Override
    public List<String> inputs() {
        return List.of(cache, update, position);
    }
}
