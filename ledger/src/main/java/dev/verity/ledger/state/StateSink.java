package dev.verity.ledger.state;

/** Receives what a block changed as storage writes: a key, and its new value or null to delete it. */
@FunctionalInterface
public interface StateSink {
    void write(byte[] key, byte[] value);
}
