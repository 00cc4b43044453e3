package dev.verity.proofs.attestation;

import dev.verity.core.Bytes;
import dev.verity.core.Hash;
import dev.verity.core.PublicKey;
import dev.verity.core.Sha256;

/**
 * The 64 bytes of report data an enclave puts in its attestation to bind its signing key to the
 * node that operates it: SHA-256("verity-enclave-binding-v1" || enclaveKey || nodeKey), then 32
 * zero bytes. Every attestation format carries 64 bytes of report data, so the rule is shared.
 */
public final class EnclaveBinding {
    public static final int REPORT_DATA_LENGTH = 64;

    private EnclaveBinding() {}

    public static byte[] reportData(PublicKey enclaveKey, PublicKey nodeKey) {
        Hash h = Sha256.digest(Bytes.utf8("verity-enclave-binding-v1"), enclaveKey.bytes(), nodeKey.bytes());
        byte[] out = new byte[REPORT_DATA_LENGTH];
        h.copyTo(out, 0);
        return out;
    }
}
