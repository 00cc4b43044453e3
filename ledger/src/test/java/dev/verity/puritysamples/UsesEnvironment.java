package dev.verity.puritysamples;

/** Impure: reads the environment. */
public final class UsesEnvironment {
    public static String home() {
        return System.getenv("HOME");
    }

    public static String user() {
        return System.getProperty("user.name");
    }

    public static int cpus() {
        return Runtime.getRuntime().availableProcessors();
    }
}
