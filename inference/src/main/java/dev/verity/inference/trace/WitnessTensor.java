package dev.verity.inference.trace;

import dev.verity.core.Hash;
import dev.verity.inference.engine.State;
import dev.verity.inference.program.Op;
import dev.verity.inference.program.Tensor;

/**
 * One tensor of a state in a witness: in full when the step reads it, else only its content hash
 * ({@link State#tensorContent}), which with the name is all the verifier needs to rebuild the state hash.
 *
 * @param tensor the full tensor, or null
 * @param contentHash the content hash, or null; exactly one of the two is given
 */
public record WitnessTensor(String name, Tensor tensor, Hash contentHash) {
    public WitnessTensor {
        Op.checkName(name);
        if ((tensor == null) == (contentHash == null)) {
            throw new IllegalArgumentException("witness tensor '" + name + "' needs exactly one of a full tensor and a content hash");
        }
    }

    public static WitnessTensor full(String name, Tensor tensor) {
        return new WitnessTensor(name, tensor, null);
    }

    public static WitnessTensor hashed(String name, Hash contentHash) {
        return new WitnessTensor(name, null, contentHash);
    }

    public boolean isFull() {
        return tensor != null;
    }

    /** The tensor's content hash: computed from the full tensor, or the given one. */
    public Hash content() {
        return tensor != null ? State.tensorContent(tensor) : contentHash;
    }

    /** The tensor's leaf in the state hash. */
    public Hash leaf() {
        return State.tensorLeaf(name, content());
    }
}
