package dev.verity.compute.tee;

/** This machine cannot give a compute node an enclave; the message says what is missing and what to do. */
public final class EnclaveUnavailableException extends RuntimeException {
    public EnclaveUnavailableException(String message) {
        super(message);
    }

    public EnclaveUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
