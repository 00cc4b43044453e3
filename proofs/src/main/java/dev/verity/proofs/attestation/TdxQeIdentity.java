package dev.verity.proofs.attestation;

import java.util.List;

/**
 * Intel's identity of the TD quoting enclave (version 2, {@code "id":"TD_QE"}): what the QE report in
 * a quote must show, and the status of each QE SVN. Byte arrays are the hex fields decoded.
 *
 * @param miscSelect MISCSELECT (and {@code miscSelectMask} its mask) as an unsigned 32-bit integer
 * @param tcbLevels newest first
 */
record TdxQeIdentity(
        long issueDate,
        long nextUpdate,
        long miscSelect,
        long miscSelectMask,
        byte[] attributes,
        byte[] attributesMask,
        byte[] mrSigner,
        int isvProdId,
        List<IsvSvnTcbLevel> tcbLevels) {

    static final String ID = "TD_QE";
    static final int VERSION = 2;

    /**
     * Reads the fields of the {@code enclaveIdentity} object.
     *
     * @throws IllegalArgumentException naming the first missing or malformed field
     */
    static TdxQeIdentity parse(Json.Obj o) {
        String id = o.string("id");
        if (!ID.equals(id)) {
            throw new IllegalArgumentException("the QE identity is for \"" + id + "\", not TD_QE");
        }
        long version = o.integer("version");
        if (version != VERSION) {
            throw new IllegalArgumentException("unsupported QE identity version " + version + " (expected 2)");
        }
        List<IsvSvnTcbLevel> levels = IsvSvnTcbLevel.parseAll(o.array("tcbLevels"));
        if (levels.isEmpty()) {
            throw new IllegalArgumentException("the QE identity has no TCB levels");
        }
        return new TdxQeIdentity(o.time("issueDate"), o.time("nextUpdate"), u32(o.hex("miscselect", 4)),
                u32(o.hex("miscselectMask", 4)), o.hex("attributes", 16), o.hex("attributesMask", 16), o.hex("mrsigner", 32),
                o.integer("isvprodid", 0xFFFF), levels);
    }

    /** The hex string is the number written big-endian. */
    private static long u32(byte[] be) {
        return (be[0] & 0xFFL) << 24 | (be[1] & 0xFFL) << 16 | (be[2] & 0xFFL) << 8 | (be[3] & 0xFFL);
    }
}
