package dev.verity.puritysamples;

import java.io.File;

/** Impure: touches the file system. */
public final class UsesFile {
    public static boolean exists(String name) {
        return new File(name).exists();
    }
}
