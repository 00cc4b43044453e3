package dev.verity.core.trie;

/** A {@link TrieProof} that does not prove anything against the given root and key path; the message says why. */
public final class InvalidProofException extends RuntimeException {
    public InvalidProofException(String message) {
        super(message);
    }
}
