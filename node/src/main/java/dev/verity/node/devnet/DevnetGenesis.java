package dev.verity.node.devnet;

import dev.verity.core.PrivateKey;
import dev.verity.ledger.Genesis;
import dev.verity.ledger.Params;
import dev.verity.node.tee.DevEnclave;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The devnet's genesis: funded client and compute nodes, one validator, the development enclave trusted. */
public final class DevnetGenesis {
    public static final String CHAIN_ID = "verity-devnet";
    public static final long CLIENT_FUNDS = 1_000_000 * Params.BASE_UNITS_PER_TOKEN;
    public static final long NODE_FUNDS = 20_000 * Params.BASE_UNITS_PER_TOKEN;

    private DevnetGenesis() {}

    public static Genesis loadOrCreate(Path file, DevnetKeys keys, Params params, long timestampMillis) {
        try {
            if (Files.exists(file)) {
                return Genesis.decode(Files.readAllBytes(file));
            }
            List<Genesis.Allocation> alloc = new ArrayList<>();
            alloc.add(new Genesis.Allocation(keys.client().publicKey(), CLIENT_FUNDS));
            alloc.add(new Genesis.Allocation(keys.validator().publicKey(), Params.BASE_UNITS_PER_TOKEN));
            for (PrivateKey n : keys.computeNodes()) {
                alloc.add(new Genesis.Allocation(n.publicKey(), NODE_FUNDS));
            }
            Genesis g = new Genesis(CHAIN_ID, timestampMillis, params, alloc, List.of(keys.validator().publicKey()),
                    List.of(keys.platform().publicKey()),
                    List.of(new Genesis.ApprovedMeasurement(DevEnclave.DEV_MEASUREMENT, "development enclave build")));
            Files.createDirectories(file.getParent());
            Files.write(file, g.encode());
            return g;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the devnet genesis " + file, e);
        }
    }
}
