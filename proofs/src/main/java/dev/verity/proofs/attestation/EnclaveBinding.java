package dev.verity.proofs.attestation;

import dev.verity.core.Bytes;
import dev.verity.core.Hash;
import dev.verity.core.PublicKey;
import dev.verity.core.Sha256;

/**
 * The 64 bytes of report data an enclave puts in its attestation to bind its signing key to the
 * node that operates it on one chain:
 * {@code SHA-256("verity-enclave-binding-v2" || u8 len || chainId || enclaveKey || nodeKey)}, then 32
 * zero bytes. Binding the chain id stops evidence made for a test network being replayed on another.
 * SEV-SNP and TDX both carry 64 bytes of report data, so the rule is shared.
 */
public final class EnclaveBinding {
    public static final int REPORT_DATA_LENGTH = 64;

    private EnclaveBinding() {}

    public static byte[] reportData(String chainId, PublicKey enclaveKey, PublicKey nodeKey) {
        byte[] id = Bytes.utf8(chainId);
        if (id.length > 255) {
            throw new IllegalArgumentException("chain id longer than 255 bytes");
        }
        Hash h = Sha256.digest(Bytes.utf8("verity-enclave-binding-v2"), new byte[] {(byte) id.length}, id,
                enclaveKey.bytes(), nodeKey.bytes());
        byte[] out = new byte[REPORT_DATA_LENGTH];
        h.copyTo(out, 0);
        return out;
    }
}
