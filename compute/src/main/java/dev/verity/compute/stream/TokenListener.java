package dev.verity.compute.stream;

import dev.verity.protocol.generation.FinishReason;

/** Receives a generation's tokens as they are made. Calls come in order, from one thread at a time. */
public interface TokenListener {
    /** A listener that ignores everything. */
    TokenListener NONE = new TokenListener() {
        @Override
        public void token(int index, int id) {}

        @Override
        public void finished(FinishReason reason) {}

        @Override
        public void failed(String message) {}
    };

    /** The {@code index}-th generated token (from 0) is {@code id}. */
    void token(int index, int id);

    /** Generation ended after the tokens sent. */
    void finished(FinishReason reason);

    /** Generation stopped without an answer (the node will report the failure on chain). */
    void failed(String message);
}
