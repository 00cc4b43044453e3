package dev.verity.devnet;

import dev.verity.core.PrivateKey;
import dev.verity.sdk.KeyFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The devnet's keys, kept as key files under {@code DIR/keys} so a restarted devnet is the same network:
 * the validator, the governance key (the devnet's one-member council), the client, the compute nodes.
 */
public record DevnetKeys(PrivateKey validator, PrivateKey governor, PrivateKey client, List<PrivateKey> computeNodes) {

    public static DevnetKeys loadOrCreate(Path keysDir, int computeNodes) {
        List<PrivateKey> nodes = new ArrayList<>();
        for (int i = 1; i <= computeNodes; i++) {
            nodes.add(key(nodeKeyFile(keysDir, i - 1)));
        }
        return new DevnetKeys(key(keysDir.resolve("validator.json")), key(keysDir.resolve("governance.json")),
                key(keysDir.resolve("client.json")), nodes);
    }

    /** The key file of compute node {@code index} (0-based; the files count from 1). */
    public static Path nodeKeyFile(Path keysDir, int index) {
        return keysDir.resolve("node-" + (index + 1) + ".json");
    }

    private static PrivateKey key(Path file) {
        if (Files.exists(file)) {
            return KeyFiles.load(file);
        }
        PrivateKey k = KeyFiles.generate();
        KeyFiles.save(file, k);
        return k;
    }
}
