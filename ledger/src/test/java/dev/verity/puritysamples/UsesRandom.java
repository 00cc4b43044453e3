package dev.verity.puritysamples;

import java.util.Random;

/** Impure: draws randomness. */
public final class UsesRandom {
    public static int roll() {
        return new Random().nextInt(6);
    }
}
