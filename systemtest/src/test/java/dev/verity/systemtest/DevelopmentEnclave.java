package dev.verity.systemtest;

import dev.verity.compute.tee.BuildMeasurement;
import dev.verity.devnet.DevnetPlatform;
import dev.verity.devtee.DevSevSnpPlatform;
import dev.verity.ledger.Genesis;
import dev.verity.proofs.attestation.Collateral;
import dev.verity.proofs.attestation.CollateralKind;
import dev.verity.proofs.attestation.Measurement;
import dev.verity.proofs.attestation.TeeType;
import dev.verity.testkit.TestGenesis;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The development SEV-SNP platform (ARK, ASK, VCEK made here) that a TEE node of a test network runs its enclave on
 * ({@code bin/verity node run --dev-enclave DIR}, on the devnet's chain id only), and what the genesis holds to trust it:
 * the platform's root certificate and the release's build measurement, which the development enclave reports.
 */
final class DevelopmentEnclave {
    private final Path dir;
    private final DevSevSnpPlatform platform;
    private final Measurement build;

    private DevelopmentEnclave(Path dir, DevSevSnpPlatform platform, Measurement build) {
        this.dir = dir;
        this.platform = platform;
        this.build = build;
    }

    /** Makes a platform in {@code dir} for enclaves of {@code release}'s build. */
    static DevelopmentEnclave create(Path dir, Release release) {
        return new DevelopmentEnclave(dir, DevnetPlatform.loadOrCreate(dir, System.currentTimeMillis()),
                measurementOf(release));
    }

    /** Adds to a genesis the platform's root and the release's measurement, approved for SEV-SNP. */
    void trustIn(TestGenesis genesis) {
        genesis.collateral(List.of(new Collateral(TeeType.SEV_SNP, CollateralKind.ROOT_CERTIFICATE, platform.arkDer())));
        genesis.measurement(new Genesis.ApprovedMeasurement(TeeType.SEV_SNP, build, "the release under test"));
    }

    /** The options of {@code node run} that start a node's enclave on this platform. */
    String[] nodeOptions() {
        return new String[] {"--dev-enclave", dir.toString()};
    }

    Measurement build() {
        return build;
    }

    /**
     * The build measurement a process of the release reports: its class path is {@code lib/verity-cli.jar:lib/*}, each
     * jar counted once ({@link BuildMeasurement#ofRunningBuild()} in that process).
     */
    private static Measurement measurementOf(Release release) {
        Path lib = release.home().resolve("lib");
        List<Path> entries = new ArrayList<>();
        entries.add(lib.resolve(BuildMeasurement.CLI_JAR));
        try (Stream<Path> jars = Files.list(lib)) {
            jars.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().forEach(entries::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Measurement(BuildMeasurement.ofClassPath(entries).digest());
    }
}
