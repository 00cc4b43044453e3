package dev.verity.devnet;

import dev.verity.devtee.DevSevSnpPlatform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * The devnet's development SEV-SNP platform (ARK, ASK, VCEK), created with the devnet's genesis and
 * kept under {@code DIR/keys/dev-sev-snp} so a restarted devnet trusts the same root.
 */
public final class DevnetPlatform {
    /** Certificates are valid from a day before genesis, so clock skew never makes them not yet valid. */
    static final Duration BACKDATE = Duration.ofDays(1);
    static final Duration VALIDITY = Duration.ofDays(3650);

    private DevnetPlatform() {}

    public static DevSevSnpPlatform loadOrCreate(Path dir, long genesisMillis) {
        try {
            if (Files.exists(dir.resolve("ark.pem"))) {
                return DevSevSnpPlatform.load(dir);
            }
            DevSevSnpPlatform p = DevSevSnpPlatform.generate(Instant.ofEpochMilli(genesisMillis).minus(BACKDATE), VALIDITY);
            p.save(dir);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the development TEE platform in " + dir, e);
        }
    }
}
