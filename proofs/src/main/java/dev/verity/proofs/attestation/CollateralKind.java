package dev.verity.proofs.attestation;

/** What a piece of verification collateral held in chain state is. */
public enum CollateralKind {
    /** A vendor root certificate (AMD ARK, Intel SGX root CA, or a development root). */
    ROOT_CERTIFICATE,
    /** A certificate revocation list, DER. */
    REVOCATION_LIST,
    /** Intel's signed TCB info (JSON as the provisioning service serves it). */
    TCB_INFO,
    /** Intel's signed quoting-enclave identity (JSON). */
    QE_IDENTITY,
    /** The certificate that signs TCB info and QE identity (Intel SGX TCB Signing), DER. */
    TCB_SIGNING_CERTIFICATE
}
