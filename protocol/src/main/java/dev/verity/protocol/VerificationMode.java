package dev.verity.protocol;

import dev.verity.core.Coded;

/**
 * How a job's result is verified. Only modes with a registered evidence verifier are accepted;
 * the others are named now so that fallback lists and encodings stay stable as they land.
 */
public enum VerificationMode implements Coded {
    /** The assigned node's signature (the result transaction's own signature). */
    NONE(0),
    /** A signature by an enclave key registered once with an attestation document. */
    TEE(1),
    OPTIMISTIC(2),
    SAMPLED(3),
    ZK(4);

    private final int code;

    VerificationMode(int code) {
        this.code = code;
    }

    /** The stable code of this mode in consensus bytes. */
    @Override
    public int code() {
        return code;
    }

    public static VerificationMode fromCode(int code) {
        return Coded.fromCode(values(), code, "verification mode");
    }

    public static VerificationMode parse(String name) {
        for (VerificationMode m : values()) {
            if (m.name().equalsIgnoreCase(name.strip())) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown verification mode '" + name + "' (expected one of NONE, TEE, OPTIMISTIC, SAMPLED, ZK)");
    }
}
