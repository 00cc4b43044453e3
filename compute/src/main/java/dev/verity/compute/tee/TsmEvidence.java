package dev.verity.compute.tee;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Attestation evidence obtained through Linux's configfs-tsm report interface ({@link ConfigFsTsm}).
 *
 * @param provider the TSM that produced it: {@code "sev_guest"} (AMD SEV-SNP) or {@code "tdx_guest"} (Intel TDX)
 * @param outblob the report: a 1184-byte SEV-SNP attestation report, or a TDX quote
 * @param auxblob supplemental data, empty when there is none; for {@code sev_guest} the extended report's
 *     certificate table (see {@link SnpCertTable})
 * @param generation the entry's write generation the evidence was read at
 */
public record TsmEvidence(String provider, byte[] outblob, byte[] auxblob, long generation) {
    /** The provider name of AMD SEV-SNP guests. */
    public static final String SEV_GUEST = "sev_guest";
    /** The provider name of Intel TDX guests. */
    public static final String TDX_GUEST = "tdx_guest";

    public TsmEvidence {
        Objects.requireNonNull(provider, "provider");
        outblob = Objects.requireNonNull(outblob, "outblob").clone();
        auxblob = auxblob == null ? new byte[0] : auxblob.clone();
    }

    @Override
    public byte[] outblob() {
        return outblob.clone();
    }

    @Override
    public byte[] auxblob() {
        return auxblob.clone();
    }

    /** The certificates of the SEV-SNP certificate table in {@code auxblob} (empty for other providers). */
    public List<SnpCertTable.Entry> certificates() {
        return SEV_GUEST.equals(provider) ? SnpCertTable.parse(auxblob) : List.of();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TsmEvidence e && provider.equals(e.provider) && Arrays.equals(outblob, e.outblob)
                && Arrays.equals(auxblob, e.auxblob) && generation == e.generation;
    }

    @Override
    public int hashCode() {
        return Objects.hash(provider, Arrays.hashCode(outblob), Arrays.hashCode(auxblob), generation);
    }

    @Override
    public String toString() {
        return "TsmEvidence[provider=" + provider + ", outblob=" + outblob.length + " bytes, auxblob=" + auxblob.length
                + " bytes, generation=" + generation + "]";
    }
}
