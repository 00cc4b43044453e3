package dev.verity.ledger.evidence;

import dev.verity.core.Bytes;
import dev.verity.core.Encoder;
import dev.verity.core.Hash;

/**
 * What an enclave signs for a {@code TEE} result:
 * {@code "verity-tee-result-v1" || jobId || modelHash || inputHash || outputHash}.
 */
public record TeeResultStatement(Hash jobId, Hash modelHash, Hash inputHash, Hash outputHash) {
    private static final byte[] DOMAIN = Bytes.utf8("verity-tee-result-v1");

    public byte[] signingBytes() {
        return new Encoder(DOMAIN.length + 128).fixed(DOMAIN).hash(jobId).hash(modelHash).hash(inputHash).hash(outputHash)
                .toByteArray();
    }
}
