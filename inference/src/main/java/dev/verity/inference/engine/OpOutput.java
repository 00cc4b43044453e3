package dev.verity.inference.engine;

/**
 * The output buffer of one op, for computing its slices separately ({@link IntegerEngine#computeSlice}):
 * each slice writes only its own elements, so slices may run in any order or concurrently (provided the
 * caller publishes the writes, for example by waiting on the tasks' futures) with the same contents.
 */
public final class OpOutput {
    final int opIndex;
    final Buf buf;

    OpOutput(int opIndex, Buf buf) {
        this.opIndex = opIndex;
        this.buf = buf;
    }

    public int opIndex() {
        return opIndex;
    }
}
