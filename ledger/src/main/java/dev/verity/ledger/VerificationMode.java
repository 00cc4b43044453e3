package dev.verity.ledger;

/**
 * How a job's result is verified. Only modes with a registered evidence verifier are accepted;
 * the others are named now so that fallback lists and encodings stay stable as they land.
 */
public enum VerificationMode {
    /** The assigned node's signature (the result transaction's own signature). */
    NONE,
    /** A signature by an enclave key registered once with an attestation document. */
    TEE,
    OPTIMISTIC,
    SAMPLED,
    ZK;

    public static VerificationMode fromCode(int code) {
        VerificationMode[] all = values();
        if (code < 0 || code >= all.length) {
            throw new dev.verity.core.DecodingException("unknown verification mode code " + code);
        }
        return all[code];
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
