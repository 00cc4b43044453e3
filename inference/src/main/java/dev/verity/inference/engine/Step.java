package dev.verity.inference.engine;

/**
 * One step of a plan: slice {@code slice} (of {@code sliceCount}) of op {@code opIndex}, computing the
 * op output's flat (row-major) elements {@code [from, to)}.
 */
public record Step(int index, int opIndex, int slice, int sliceCount, String output, int from, int to) {
    public boolean firstSlice() {
        return slice == 0;
    }

    public boolean lastSlice() {
        return slice == sliceCount - 1;
    }
}
