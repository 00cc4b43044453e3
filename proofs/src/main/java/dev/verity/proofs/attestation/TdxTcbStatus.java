package dev.verity.proofs.attestation;

/**
 * A TCB status as Intel names it in TCB info, QE identity and its quote verification library, plus
 * {@link #NOT_SUPPORTED} for a platform (or QE, or TDX module) that no TCB level of the collateral
 * covers.
 */
public enum TdxTcbStatus {
    UP_TO_DATE("UpToDate"),
    SW_HARDENING_NEEDED("SWHardeningNeeded"),
    CONFIGURATION_NEEDED("ConfigurationNeeded"),
    CONFIGURATION_AND_SW_HARDENING_NEEDED("ConfigurationAndSWHardeningNeeded"),
    OUT_OF_DATE("OutOfDate"),
    OUT_OF_DATE_CONFIGURATION_NEEDED("OutOfDateConfigurationNeeded"),
    REVOKED("Revoked"),
    NOT_SUPPORTED("TcbLevelNotSupported");

    private final String label;

    TdxTcbStatus(String label) {
        this.label = label;
    }

    /** Intel's name ("UpToDate", ...), or "TcbLevelNotSupported". */
    public String label() {
        return label;
    }

    /**
     * The status a collateral document names.
     *
     * @throws IllegalArgumentException for a name Intel does not use in collateral
     */
    static TdxTcbStatus ofCollateral(String label) {
        for (TdxTcbStatus s : values()) {
            if (s != NOT_SUPPORTED && s.label.equals(label)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown tcbStatus \"" + label + "\"");
    }
}
