package dev.verity.proofs.attestation;

import dev.verity.core.Coded;

/** What a piece of verification collateral held in chain state is. */
public enum CollateralKind implements Coded {
    /** A vendor root certificate (AMD ARK, Intel SGX root CA, or a development root). */
    ROOT_CERTIFICATE(0),
    /** A certificate revocation list, DER. */
    REVOCATION_LIST(1),
    /** Intel's signed TCB info (JSON as the provisioning service serves it). */
    TCB_INFO(2),
    /** Intel's signed quoting-enclave identity (JSON). */
    QE_IDENTITY(3),
    /** The certificate that signs TCB info and QE identity (Intel SGX TCB Signing), DER. */
    TCB_SIGNING_CERTIFICATE(4);

    private final int code;

    CollateralKind(int code) {
        this.code = code;
    }

    /** The stable code of this value in consensus bytes. */
    @Override
    public int code() {
        return code;
    }

    public static CollateralKind fromCode(int code) {
        return Coded.fromCode(values(), code, "collateral kind");
    }
}
