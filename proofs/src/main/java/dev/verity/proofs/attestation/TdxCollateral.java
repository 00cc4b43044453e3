package dev.verity.proofs.attestation;

import java.util.List;
import java.util.Objects;

/**
 * What Intel's provisioning certification service (PCS) publishes to judge a TDX platform's TCB: the
 * TCB info for the platform's FMSPC and the TD quoting enclave's identity, each exactly as served
 * (JSON bytes, {@code {"tcbInfo":{...},"signature":"hex"}} and {@code {"enclaveIdentity":{...},
 * "signature":"hex"}}), and the certificate that signed them ("Intel SGX TCB Signing", which PCS sends
 * in a response header), DER, first; the root after it may be included and must then be the trusted
 * root. All arrays are defensive copies.
 */
public record TdxCollateral(byte[] tcbInfoJson, byte[] qeIdentityJson, List<byte[]> tcbSigningChainDer) {
    public TdxCollateral {
        tcbInfoJson = Objects.requireNonNull(tcbInfoJson, "tcbInfoJson").clone();
        qeIdentityJson = Objects.requireNonNull(qeIdentityJson, "qeIdentityJson").clone();
        tcbSigningChainDer = Objects.requireNonNull(tcbSigningChainDer, "tcbSigningChainDer").stream()
                .map(b -> Objects.requireNonNull(b, "certificate").clone()).toList();
    }

    @Override
    public byte[] tcbInfoJson() {
        return tcbInfoJson.clone();
    }

    @Override
    public byte[] qeIdentityJson() {
        return qeIdentityJson.clone();
    }

    @Override
    public List<byte[]> tcbSigningChainDer() {
        return tcbSigningChainDer.stream().map(byte[]::clone).toList();
    }
}
