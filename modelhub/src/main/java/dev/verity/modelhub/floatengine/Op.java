package dev.verity.modelhub.floatengine;

/** One operator's implementation: computes a node's outputs (null for an omitted optional output). */
@FunctionalInterface
interface Op {
    FloatTensor[] apply(OpContext c);
}
