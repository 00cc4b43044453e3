package dev.verity.cli;

import dev.verity.core.PrivateKey;
import dev.verity.sdk.KeyFiles;
import dev.verity.sdk.VerityClient;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --api URL} and {@code --key FILE}, shared by every command that talks to a node. */
final class ApiOptions {
    static final String DEFAULT_API = "http://127.0.0.1:8645";

    @Option(names = "--api", paramLabel = "URL[,URL...]", defaultValue = "${env:VERITY_API:-" + DEFAULT_API + "}",
            description = "The node's API (default: $VERITY_API, else " + DEFAULT_API + "). Several validators' URLs, "
                    + "separated by commas, make the command fail over to the next when one is unavailable.")
    String api;

    @Option(names = "--key", paramLabel = "FILE", defaultValue = "${env:VERITY_KEY}",
            description = "Key file to sign with, or whose account to show (default: $VERITY_KEY).")
    Path key;

    /** Whether the environment names a node's API ({@code VERITY_API} set and not blank). */
    static boolean fromEnvironment() {
        String env = System.getenv("VERITY_API");
        return env != null && !env.isBlank();
    }

    /** A client of the node at {@code --api}; close it after use. */
    VerityClient client() {
        List<String> urls = urls();
        return urls.size() == 1 ? new VerityClient(urls.get(0)) : VerityClient.failover(urls);
    }

    /** The URLs {@code --api} names, in order (the default when none). */
    List<String> urls() {
        List<String> urls = new java.util.ArrayList<>();
        for (String u : (api == null ? "" : api).split(",")) {
            if (!u.isBlank()) {
                urls.add(u.strip());
            }
        }
        return urls.isEmpty() ? List.of(DEFAULT_API) : urls;
    }

    /** True when a key file was given (by option or environment). */
    boolean hasKey() {
        return key != null && !key.toString().isBlank();
    }

    /** The signing key; bad usage when none was given. */
    PrivateKey loadKey() {
        if (!hasKey()) {
            throw new IllegalArgumentException("this command signs a transaction: give a key file with --key FILE or set VERITY_KEY"
                    + " (create one with: verity keys new --out FILE)");
        }
        return KeyFiles.load(key);
    }
}
