package dev.verity.validator.consensus;

/**
 * Orders transactions into blocks. The single-validator engine produces blocks on a timer; a
 * replicated engine (Apache Ratis) will order the same blocks across several validators, each of
 * which re-executes them and signs the state root. The rest of the node only sees this interface.
 */
public interface Consensus extends AutoCloseable {
    void start();

    /** A short description for logs and the status endpoint. */
    String describe();

    @Override
    void close();
}
