package dev.verity.proofs.zk;

/** A validity proof, or a part of one, that does not verify; the message says which check failed. */
public final class ProofRejectedException extends RuntimeException {
    public ProofRejectedException(String message) {
        super(message);
    }
}
