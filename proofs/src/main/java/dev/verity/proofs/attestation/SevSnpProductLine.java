package dev.verity.proofs.attestation;

/**
 * The AMD EPYC product line that produced a SEV-SNP report. It decides how a TCB version is laid out
 * (Turin moved the fields) and which VCEK extensions describe it.
 */
public enum SevSnpProductLine {
    MILAN("Milan", SevSnpTcb.Layout.MILAN_GENOA),
    GENOA("Genoa", SevSnpTcb.Layout.MILAN_GENOA),
    TURIN("Turin", SevSnpTcb.Layout.TURIN),
    /** A line this verifier does not know (a development chain, a newer part): read as Milan/Genoa. */
    UNKNOWN("unknown", SevSnpTcb.Layout.MILAN_GENOA);

    private final String displayName;
    private final SevSnpTcb.Layout tcbLayout;

    SevSnpProductLine(String displayName, SevSnpTcb.Layout tcbLayout) {
        this.displayName = displayName;
        this.tcbLayout = tcbLayout;
    }

    /** "Milan", "Genoa", "Turin" or "unknown". */
    public String displayName() {
        return displayName;
    }

    public SevSnpTcb.Layout tcbLayout() {
        return tcbLayout;
    }

    /**
     * The line of a CPUID family and model as a v3+ report carries them (extended family and model
     * already combined): Milan is family 19h models 00h-0Fh, Genoa 19h models 10h-1Fh, Turin 1Ah models
     * 00h-1Fh (Turin and Turin dense). Other Zen 4 parts (19h A0h-AFh) are left unknown: their TCB layout
     * is the Milan/Genoa one anyway.
     */
    public static SevSnpProductLine fromCpuid(int family, int model) {
        if (family == 0x19 && model <= 0x0F) {
            return MILAN;
        }
        if (family == 0x19 && model >= 0x10 && model <= 0x1F) {
            return GENOA;
        }
        if (family == 0x1A && model <= 0x1F) {
            return TURIN;
        }
        return UNKNOWN;
    }

    /**
     * The line named by an AMD signing key's common name: "SEV-Milan" (ASK), "SEV-VLEK-Milan" (ASVK), and so
     * on; anything else (such as "SEV-Dev") is unknown.
     */
    public static SevSnpProductLine fromSigningKeyName(String commonName) {
        if (commonName == null) {
            return UNKNOWN;
        }
        String name = commonName.startsWith("SEV-VLEK-") ? commonName.substring("SEV-VLEK-".length())
                : commonName.startsWith("SEV-") ? commonName.substring("SEV-".length()) : "";
        for (SevSnpProductLine line : values()) {
            if (line != UNKNOWN && line.displayName.equals(name)) {
                return line;
            }
        }
        return UNKNOWN;
    }
}
