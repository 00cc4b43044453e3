package dev.verity.inference.generate;

/** Told each generated token as it is drawn, before the next pass runs (to stream it). */
@FunctionalInterface
public interface TokenListener {
    TokenListener NONE = (index, token) -> { };

    void token(int index, int token);
}
