package dev.verity.proofs.attestation;

import dev.verity.core.Hash;

/** The outcome of verifying an attestation document. */
public sealed interface AttestationVerdict {
    record Valid(AttestationFormat format, Hash measurement, byte[] reportData) implements AttestationVerdict {
        public Valid {
            reportData = reportData.clone();
        }
    }

    record Invalid(String reason) implements AttestationVerdict {}
}
