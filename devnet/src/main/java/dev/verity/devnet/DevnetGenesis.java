package dev.verity.devnet;

import dev.verity.compute.tee.VendorRoots;
import dev.verity.core.PrivateKey;
import dev.verity.devtee.DevSevSnpPlatform;
import dev.verity.ledger.Genesis;
import dev.verity.proofs.attestation.Collateral;
import dev.verity.proofs.attestation.CollateralKind;
import dev.verity.proofs.attestation.Measurement;
import dev.verity.proofs.attestation.TeeType;
import dev.verity.protocol.Params;
import dev.verity.protocol.consensus.ValidatorInfo;
import dev.verity.protocol.governance.Council;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The devnet's genesis: funded client and compute nodes, its validators (one, or several with their replication
 * addresses and API URLs, each with a funded account for the equivocation reports it signs), the governance key as a
 * one-member council, the development SEV-SNP root and the real AMD and Intel roots trusted, and the
 * running build's measurement approved for SEV-SNP.
 */
public final class DevnetGenesis {
    public static final String CHAIN_ID = "verity-devnet";
    public static final long CLIENT_FUNDS = 1_000_000 * Params.BASE_UNITS_PER_TOKEN;
    public static final long NODE_FUNDS = 20_000 * Params.BASE_UNITS_PER_TOKEN;

    /** Blocks an OPTIMISTIC result may be challenged: a few seconds at devnet block times, time enough for a watcher. */
    public static final long CHALLENGE_WINDOW_BLOCKS = 15;
    /** Blocks per dispute move: a loaded two-core machine still moves in time. */
    public static final long MOVE_DEADLINE_BLOCKS = 10;

    private DevnetGenesis() {}

    /**
     * The devnet's parameters: the defaults, with a challenge window and move deadlines short enough that a
     * dispute ends within seconds, and every SAMPLED result audited, so the demo shows each part of verification.
     */
    public static Params params() {
        Params d = Params.defaults();
        return d.withVerification(CHALLENGE_WINDOW_BLOCKS, MOVE_DEADLINE_BLOCKS, d.challengerBond(), d.disputeSlashBps(),
                d.winnerShareBps(), 10_000);
    }

    /** A validator's account balance at genesis: what pays for the transactions it signs (equivocation reports). */
    public static final long VALIDATOR_FUNDS = Params.BASE_UNITS_PER_TOKEN;

    /** The genesis of a single-validator devnet: its validator has no addresses (it produces blocks alone). */
    public static Genesis loadOrCreate(Path file, DevnetKeys keys, DevSevSnpPlatform platform, Measurement build,
                                       Params params, long timestampMillis) {
        return loadOrCreate(file, keys, List.of(Genesis.validator(keys.validator().publicKey())), platform, build, params,
                timestampMillis);
    }

    /**
     * The genesis in {@code file}, or a new one (written there) whose validator set is {@code validators}: the keys of
     * {@code keys.validators()} in order, each with its stake and addresses.
     */
    public static Genesis loadOrCreate(Path file, DevnetKeys keys, List<ValidatorInfo> validators, DevSevSnpPlatform platform,
                                       Measurement build, Params params, long timestampMillis) {
        try {
            if (Files.exists(file)) {
                return Genesis.decode(Files.readAllBytes(file));
            }
            List<Genesis.Allocation> alloc = new ArrayList<>();
            alloc.add(new Genesis.Allocation(keys.client().publicKey(), CLIENT_FUNDS));
            for (PrivateKey v : keys.validators()) {
                alloc.add(new Genesis.Allocation(v.publicKey(), VALIDATOR_FUNDS));
            }
            for (PrivateKey n : keys.computeNodes()) {
                alloc.add(new Genesis.Allocation(n.publicKey(), NODE_FUNDS));
            }
            List<Collateral> roots = new ArrayList<>();
            roots.add(new Collateral(TeeType.SEV_SNP, CollateralKind.ROOT_CERTIFICATE, platform.arkDer()));
            roots.addAll(VendorRoots.all());
            Genesis g = new Genesis(CHAIN_ID, timestampMillis, params, alloc, validators,
                    Council.single(keys.governor().publicKey()), roots,
                    List.of(new Genesis.ApprovedMeasurement(TeeType.SEV_SNP, build, "this build of the node software")),
                    List.of());
            Files.createDirectories(file.getParent());
            Files.write(file, g.encode());
            return g;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the devnet genesis " + file, e);
        }
    }
}
