package dev.verity.ledger.state;

import dev.verity.proofs.attestation.Measurement;
import dev.verity.proofs.attestation.TeeType;

/** An approved measurement is approved for one TEE type; ordered by type code, then bytes. */
public record MeasurementKey(TeeType type, Measurement measurement) implements Comparable<MeasurementKey> {
    @Override
    public int compareTo(MeasurementKey o) {
        int c = Integer.compare(type.code(), o.type.code());
        return c != 0 ? c : measurement.compareTo(o.measurement);
    }
}
