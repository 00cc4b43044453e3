package dev.verity.modelhub.onnx;

/**
 * Resource limits applied while parsing, so that a hostile or broken file cannot exhaust memory.
 *
 * @param maxModelBytes     largest accepted serialized model (or tensor file), in bytes; at most 2 GiB - 1, the most
 *                          one protobuf message can hold
 * @param maxTensorElements largest accepted element count of any one tensor (initializer, tensor attribute, tensor
 *                          file)
 * @param maxNodes          largest accepted number of nodes in the graph
 */
public record OnnxLimits(long maxModelBytes, long maxTensorElements, int maxNodes) {
    /** 256 MiB models, 64 Mi elements per tensor, 100 000 nodes. */
    public static final OnnxLimits DEFAULTS = new OnnxLimits(256L << 20, 64L << 20, 100_000);

    public OnnxLimits {
        if (maxModelBytes < 1 || maxModelBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "maxModelBytes must be between 1 and " + Integer.MAX_VALUE + ", got " + maxModelBytes);
        }
        if (maxTensorElements < 1) {
            throw new IllegalArgumentException("maxTensorElements must be positive, got " + maxTensorElements);
        }
        if (maxNodes < 1) {
            throw new IllegalArgumentException("maxNodes must be positive, got " + maxNodes);
        }
    }
}
