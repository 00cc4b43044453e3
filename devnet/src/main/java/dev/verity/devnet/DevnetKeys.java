package dev.verity.devnet;

import dev.verity.core.PrivateKey;
import dev.verity.sdk.KeyFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The devnet's keys, kept as key files under {@code DIR/keys} so a restarted devnet is the same network:
 * the validators ({@code validator.json}, {@code validator-2.json}, ...), the governance key (the devnet's one-member
 * council), the client, the compute nodes.
 */
public record DevnetKeys(List<PrivateKey> validators, PrivateKey governor, PrivateKey client, List<PrivateKey> computeNodes) {

    public DevnetKeys {
        validators = List.copyOf(validators);
        computeNodes = List.copyOf(computeNodes);
        if (validators.isEmpty()) {
            throw new IllegalArgumentException("a devnet has at least one validator");
        }
    }

    /** A devnet with one validator. */
    public DevnetKeys(PrivateKey validator, PrivateKey governor, PrivateKey client, List<PrivateKey> computeNodes) {
        this(List.of(validator), governor, client, computeNodes);
    }

    /** The first validator's key: the one validator of a single-validator devnet. */
    public PrivateKey validator() {
        return validators.get(0);
    }

    /** The keys of a devnet with one validator and {@code computeNodes} compute nodes. */
    public static DevnetKeys loadOrCreate(Path keysDir, int computeNodes) {
        return loadOrCreate(keysDir, computeNodes, 1);
    }

    /** The keys of a devnet with {@code validators} validators and {@code computeNodes} compute nodes. */
    public static DevnetKeys loadOrCreate(Path keysDir, int computeNodes, int validators) {
        if (validators < 1) {
            throw new IllegalArgumentException("a devnet has at least one validator, got " + validators);
        }
        List<PrivateKey> vals = new ArrayList<>();
        for (int i = 0; i < validators; i++) {
            vals.add(key(validatorKeyFile(keysDir, i)));
        }
        List<PrivateKey> nodes = new ArrayList<>();
        for (int i = 1; i <= computeNodes; i++) {
            nodes.add(key(nodeKeyFile(keysDir, i - 1)));
        }
        return new DevnetKeys(vals, key(keysDir.resolve("governance.json")), key(keysDir.resolve("client.json")), nodes);
    }

    /** The key file of validator {@code index} (0-based): {@code validator.json}, then {@code validator-2.json}, ... */
    public static Path validatorKeyFile(Path keysDir, int index) {
        return keysDir.resolve(index == 0 ? "validator.json" : "validator-" + (index + 1) + ".json");
    }

    /** The key of the devnet's chat gateway ({@code gateway.json}), made on first use; its account pays for chat jobs. */
    public static PrivateKey gatewayKey(Path keysDir) {
        return key(gatewayKeyFile(keysDir));
    }

    public static Path gatewayKeyFile(Path keysDir) {
        return keysDir.resolve("gateway.json");
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
