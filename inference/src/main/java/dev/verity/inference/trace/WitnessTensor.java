package dev.verity.inference.trace;

import dev.verity.core.Hash;
import dev.verity.inference.engine.State;
import dev.verity.inference.program.Op;
import dev.verity.inference.program.Tensor;

/**
 * One tensor of a state in a witness: in full when the step reads it, else only its leaf hash
 * ({@link State#tensorLeaf}), which is all the verifier needs to rebuild the state hash.
 *
 * @param tensor the full tensor, or null
 * @param leafHash the leaf hash, or null; exactly one of the two is given
 */
public record WitnessTensor(String name, Tensor tensor, Hash leafHash) {
    public WitnessTensor {
        Op.checkName(name);
        if ((tensor == null) == (leafHash == null)) {
            throw new IllegalArgumentException("witness tensor '" + name + "' needs exactly one of a full tensor and a leaf hash");
        }
    }

    public static WitnessTensor full(String name, Tensor tensor) {
        return new WitnessTensor(name, tensor, null);
    }

    public static WitnessTensor hashed(String name, Hash leafHash) {
        return new WitnessTensor(name, null, leafHash);
    }

    public boolean isFull() {
        return tensor != null;
    }

    /** The tensor's leaf in the state hash: computed from the full tensor, or the given hash. */
    public Hash leaf() {
        return tensor != null ? State.tensorLeaf(name, tensor) : leafHash;
    }
}
