package dev.verity.inference.generate;

import dev.verity.core.Encoder;
import dev.verity.core.Hash;
import dev.verity.core.Sha256;

/**
 * The 32-byte sampling seed of a generation job: {@code SHA-256("verity-sampling-v1" || jobId || u64 seed)}. It comes
 * from the job id, which no node chooses, and the client's seed, so every honest node draws the same tokens and two
 * jobs with the same request still draw differently.
 */
public final class SamplingSeed {
    private static final byte[] DOMAIN = dev.verity.core.Bytes.utf8("verity-sampling-v1");

    private SamplingSeed() {}

    public static byte[] of(Hash job, long seed) {
        return Sha256.digest(new Encoder(64).fixed(DOMAIN).hash(job).u64(seed).toByteArray()).bytes();
    }
}
