package dev.verity.node.worker;

/** Runs one model on a job's input bytes and returns its output bytes. Implementations are thread-safe. */
public interface ModelRunner extends AutoCloseable {
    byte[] run(byte[] input);

    @Override
    void close();
}
