package dev.verity.validator.storage;

/** Where a committed transaction lives: the block height and its position in that block. */
public record TxLocation(long height, int index) {

    public TxLocation {
        if (height < 0) throw new IllegalArgumentException("negative height " + height);
        if (index < 0) throw new IllegalArgumentException("negative index " + index);
    }
}
