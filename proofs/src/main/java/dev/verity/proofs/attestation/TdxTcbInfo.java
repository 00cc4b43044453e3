package dev.verity.proofs.attestation;

import java.util.ArrayList;
import java.util.List;

/**
 * Intel's TCB info for TDX (version 3, {@code "id":"TDX"}), as PCS serves it for one FMSPC: which
 * platform TCB levels exist and what their status is. Byte arrays are the hex fields decoded; the
 * record is internal and never compared.
 *
 * @param tdxModuleIdentities empty when the document has none (they matter once TEE_TCB_SVN[1] != 0)
 * @param tcbLevels newest first, as Intel orders them
 */
record TdxTcbInfo(
        long issueDate,
        long nextUpdate,
        byte[] fmspc,
        byte[] pceId,
        TdxModuleIdentity tdxModule,
        List<TdxModuleIdentity> tdxModuleIdentities,
        List<Level> tcbLevels) {

    static final String ID = "TDX";
    static final int VERSION = 3;

    /**
     * The signer and attributes a TDX module must have; for the base {@code tdxModule} the id is
     * empty and there are no TCB levels.
     */
    record TdxModuleIdentity(String id, byte[] mrSigner, byte[] attributes, byte[] attributesMask,
            List<IsvSvnTcbLevel> tcbLevels) {

        static TdxModuleIdentity parse(Json.Obj o, boolean withLevels) {
            return new TdxModuleIdentity(withLevels ? o.string("id") : "", o.hex("mrsigner", 48), o.hex("attributes", 8),
                    o.hex("attributesMask", 8), withLevels ? IsvSvnTcbLevel.parseAll(o.array("tcbLevels")) : List.of());
        }
    }

    /** One platform TCB level: the 16 SGX component SVNs, the PCE SVN and the 16 TDX component SVNs. */
    record Level(int[] sgxSvns, int pceSvn, int[] tdxSvns, long tcbDate, TdxTcbStatus status) {}

    /**
     * Reads the fields of the {@code tcbInfo} object.
     *
     * @throws IllegalArgumentException naming the first missing or malformed field
     */
    static TdxTcbInfo parse(Json.Obj o) {
        String id = o.string("id");
        if (!ID.equals(id)) {
            throw new IllegalArgumentException("the TCB info is for \"" + id + "\", not TDX");
        }
        long version = o.integer("version");
        if (version != VERSION) {
            throw new IllegalArgumentException("unsupported TCB info version " + version + " (expected 3)");
        }
        if (o.integer("tcbType") != 0) {
            throw new IllegalArgumentException("unsupported TCB info tcbType " + o.integer("tcbType") + " (expected 0)");
        }
        List<TdxModuleIdentity> identities = new ArrayList<>();
        if (o.has("tdxModuleIdentities")) {
            for (Json.Value v : o.array("tdxModuleIdentities")) {
                if (!(v instanceof Json.Obj m)) {
                    throw new IllegalArgumentException("a TDX module identity is not an object");
                }
                identities.add(TdxModuleIdentity.parse(m, true));
            }
        }
        List<Level> levels = new ArrayList<>();
        for (Json.Value v : o.array("tcbLevels")) {
            if (!(v instanceof Json.Obj level)) {
                throw new IllegalArgumentException("a TCB level is not an object");
            }
            Json.Obj tcb = level.object("tcb");
            levels.add(new Level(svns(tcb, "sgxtcbcomponents"), tcb.integer("pcesvn", 0xFFFF), svns(tcb, "tdxtcbcomponents"),
                    level.time("tcbDate"), TdxTcbStatus.ofCollateral(level.string("tcbStatus"))));
        }
        if (levels.isEmpty()) {
            throw new IllegalArgumentException("the TCB info has no TCB levels");
        }
        return new TdxTcbInfo(o.time("issueDate"), o.time("nextUpdate"), o.hex("fmspc", 6), o.hex("pceId", 2),
                TdxModuleIdentity.parse(o.object("tdxModule"), false), List.copyOf(identities), List.copyOf(levels));
    }

    /** The identity Intel names "TDX_" + the module's major version in two upper-case hex digits. */
    TdxModuleIdentity moduleIdentity(int majorVersion) {
        String wanted = "TDX_" + hex2(majorVersion);
        for (TdxModuleIdentity m : tdxModuleIdentities) {
            if (m.id().equalsIgnoreCase(wanted)) {
                return m;
            }
        }
        return null;
    }

    private static String hex2(int b) {
        String digits = "0123456789ABCDEF";
        return "" + digits.charAt((b >> 4) & 0xF) + digits.charAt(b & 0xF);
    }

    private static int[] svns(Json.Obj tcb, String key) {
        List<Json.Value> components = tcb.array(key);
        if (components.size() != 16) {
            throw new IllegalArgumentException("\"" + key + "\" has " + components.size() + " components (expected 16)");
        }
        int[] out = new int[16];
        for (int i = 0; i < 16; i++) {
            if (!(components.get(i) instanceof Json.Obj c)) {
                throw new IllegalArgumentException("a component of \"" + key + "\" is not an object");
            }
            out[i] = c.integer("svn", 0xFF);
        }
        return out;
    }
}
