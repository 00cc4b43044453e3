package dev.verity.compute.worker;

import dev.verity.compute.stream.TokenListener;
import dev.verity.core.Hash;
import dev.verity.protocol.VerificationMode;

/** Runs one model on a job's input bytes and returns its output bytes. Implementations are thread-safe. */
public interface ModelRunner extends AutoCloseable {
    /** The output for {@code input}, computed by the engine the job's {@code mode} calls for. */
    byte[] run(byte[] input, VerificationMode mode);

    /**
     * The output for job {@code job}: a generation model needs the job's id (it seeds the sampling) and tells its
     * tokens to {@code tokens} as it makes them; other models ignore both.
     */
    default byte[] run(Hash job, byte[] input, VerificationMode mode, TokenListener tokens) {
        return run(input, mode);
    }

    @Override
    void close();
}
