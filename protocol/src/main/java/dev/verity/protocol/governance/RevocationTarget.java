package dev.verity.protocol.governance;

import dev.verity.core.Encoder;
import dev.verity.core.Hash;
import dev.verity.core.Sha256;
import dev.verity.proofs.attestation.Measurement;
import dev.verity.proofs.attestation.TeeType;
import java.util.Arrays;
import java.util.HexFormat;

/** What governance can revoke: a whole vendor, one chip, or one measurement (build). */
public sealed interface RevocationTarget {
    TeeType type();

    /** Whether an enclave registered with this evidence falls under the revocation. */
    boolean covers(TeeType type, byte[] chipId, Measurement measurement);

    String describe();

    /** The key of the revocation in chain state: SHA-256 of its canonical encoding. */
    default Hash id() {
        Encoder e = new Encoder(96);
        GovernanceCodec.writeTarget(e, this);
        return Sha256.digest(e.toByteArray());
    }

    record Vendor(TeeType type) implements RevocationTarget {
        @Override
        public boolean covers(TeeType t, byte[] chipId, Measurement m) {
            return t == type;
        }

        @Override
        public String describe() {
            return "vendor " + type;
        }
    }

    record Chip(TeeType type, byte[] chipId) implements RevocationTarget {
        public Chip {
            if (chipId.length == 0 || chipId.length > 64) {
                throw new IllegalArgumentException("a chip id is 1 to 64 bytes, got " + chipId.length);
            }
            chipId = chipId.clone();
        }

        @Override
        public byte[] chipId() {
            return chipId.clone();
        }

        @Override
        public boolean covers(TeeType t, byte[] id, Measurement m) {
            return t == type && Arrays.equals(chipId, id);
        }

        @Override
        public String describe() {
            return type + " chip " + HexFormat.of().formatHex(chipId);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Chip c && c.type == type && Arrays.equals(c.chipId, chipId);
        }

        @Override
        public int hashCode() {
            return type.hashCode() * 31 + Arrays.hashCode(chipId);
        }
    }

    record MeasurementTarget(TeeType type, Measurement measurement) implements RevocationTarget {
        @Override
        public boolean covers(TeeType t, byte[] chipId, Measurement m) {
            return t == type && measurement.equals(m);
        }

        @Override
        public String describe() {
            return type + " measurement " + measurement.hex();
        }
    }
}
