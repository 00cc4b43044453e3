package dev.verity.gateway.backend;

/**
 * Hears a generation job as it runs. A backend calls it from one thread at a time, in order; the gateway only queues
 * what it hears, so a call returns at once whatever the client on the other end is doing.
 */
public interface TokenListener {

    /** The job is submitted and assigned: its id, mode and node are known (called at most once, before any token). */
    default void onJobStarted(JobStarted job) {
    }

    /** The node streamed the next generated token id (the first call is the first generated token). */
    void onToken(int tokenId);
}
