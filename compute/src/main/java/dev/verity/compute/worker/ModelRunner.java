package dev.verity.compute.worker;

import dev.verity.protocol.VerificationMode;

/** Runs one model on a job's input bytes and returns its output bytes. Implementations are thread-safe. */
public interface ModelRunner extends AutoCloseable {
    /** The output for {@code input}, computed by the engine the job's {@code mode} calls for. */
    byte[] run(byte[] input, VerificationMode mode);

    @Override
    void close();
}
