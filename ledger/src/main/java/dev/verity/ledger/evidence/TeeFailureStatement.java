package dev.verity.ledger.evidence;

import dev.verity.core.Bytes;
import dev.verity.core.Encoder;
import dev.verity.core.Hash;
import dev.verity.core.Sha256;
import dev.verity.protocol.tx.FailureReason;

/**
 * What an enclave signs when it refuses a {@code TEE} job's input, as it signs a result:
 * {@code "verity-tee-failure-v1" || jobId || modelHash || inputHash || u8 reason || SHA-256(message)}.
 */
public record TeeFailureStatement(Hash jobId, Hash modelHash, Hash inputHash, FailureReason reason, String message) {
    private static final byte[] DOMAIN = Bytes.utf8("verity-tee-failure-v1");

    public byte[] signingBytes() {
        return new Encoder(DOMAIN.length + 136).fixed(DOMAIN).hash(jobId).hash(modelHash).hash(inputHash).u8(reason.code())
                .hash(Sha256.digest(Bytes.utf8(message))).toByteArray();
    }
}
