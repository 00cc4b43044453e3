package dev.verity.compute.verify;

import dev.verity.core.Hash;
import dev.verity.inference.trace.TraceValues;

/**
 * A dishonest way for a node to answer its own provable jobs. Production code has no implementation: the devnet's
 * {@code CheatMode} is the only one, so demonstrations can show a cheat being caught. A {@link Tracer} refuses a
 * cheat unless {@link #allowedOn} accepts the chain it talks to.
 */
public interface TraceCheat {
    /** The cheated version of an honest trace of {@code job}; the same every time, so a restarted node plays the same tree. */
    TraceValues apply(Hash job, TraceValues honest);

    /**
     * How this cheat changes a generation's tokens: {@code (index, drawn) -> kept}, applied as the tokens are drawn so the
     * whole trace follows the changed token; or null to change an honest trace with {@link #apply}.
     */
    default java.util.function.IntBinaryOperator tokenSubstitute(Hash job) {
        return null;
    }

    /** Throws unless this cheat may run on {@code chainId}. */
    void allowedOn(String chainId);
}
