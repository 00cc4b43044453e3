package dev.verity.proofs.attestation;

import dev.verity.core.Hash;

/** The outcome of verifying an attestation document. */
public sealed interface AttestationVerdict {
    /**
     * Authentic evidence: every signature, chain, revocation list and validity period checks out.
     * Whether the chain accepts it (measurement, TCB, debug, revocations) is the ledger's judgment.
     *
     * @param chipId the platform's identity (SEV-SNP CHIP_ID; TDX: SHA-256 of the PCK key); empty when the
     *     evidence has none (a SEV-SNP VLEK)
     * @param tcbStatus the vendor's TCB status where it gives one (TDX), else null
     * @param rootId id of the root certificate collateral that anchors the chain
     */
    record Valid(TeeType type, Measurement measurement, byte[] reportData, byte[] chipId, TcbVersion tcb,
                 String tcbStatus, boolean debug, Hash rootId) implements AttestationVerdict {
        public Valid {
            reportData = reportData.clone();
            chipId = chipId.clone();
        }

        @Override
        public byte[] reportData() {
            return reportData.clone();
        }

        @Override
        public byte[] chipId() {
            return chipId.clone();
        }
    }

    record Invalid(String reason) implements AttestationVerdict {}
}
