package dev.verity.sdk.proof;

/** A proof that does not hold: {@link #check()} says which check failed, the message why. */
public final class ProofException extends RuntimeException {
    private final ProofCheck check;

    public ProofException(ProofCheck check, String message) {
        super(message);
        this.check = check;
    }

    public ProofCheck check() {
        return check;
    }
}
