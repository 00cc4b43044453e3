package dev.verity.proofs.attestation;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Intel's TDX TCB evaluation (its quote verification library's {@code tdxEvaluateTCB} and the checks
 * before it), on verified collateral: whether the collateral applies to this platform, QE and TDX
 * module at all ({@link #mismatch}), and then the TCB status of the platform, of the QE, and the two
 * combined ({@link #evaluate}).
 */
final class TdxTcbEvaluator {
    /** TEE_TCB_SVN[1]: the TDX module's major version; when non-zero, TDX module identities apply. */
    private static final int MODULE_MAJOR = 1;
    /** TEE_TCB_SVN[0]: the TDX module's SVN within its major version. */
    private static final int MODULE_MINOR = 0;

    private TdxTcbEvaluator() {}

    /**
     * @param platform the status of the first TCB info level the platform reaches
     * @param qe the status of the first QE identity level the QE's ISVSVN reaches
     * @param combined Intel's convergence of platform, TDX module and QE statuses
     */
    record Statuses(TdxTcbStatus platform, TdxTcbStatus qe, TdxTcbStatus combined) {}

    /**
     * Why the collateral does not describe this quote's platform, TDX module or QE (a quote from a
     * module or QE that is not Intel's, or collateral for another platform), or null when it does.
     */
    static String mismatch(TdxTcbInfo tcbInfo, TdxQeIdentity qeIdentity, PckSgxExtensions pck, TdxQuote quote) {
        HexFormat hex = HexFormat.of();
        if (!Arrays.equals(tcbInfo.fmspc(), pck.fmspc())) {
            return "the TCB info is for FMSPC " + hex.formatHex(tcbInfo.fmspc()) + ", the PCK certificate's FMSPC is "
                    + hex.formatHex(pck.fmspc());
        }
        if (!Arrays.equals(tcbInfo.pceId(), pck.pceId())) {
            return "the TCB info is for PCE ID " + hex.formatHex(tcbInfo.pceId()) + ", the PCK certificate's PCE ID is "
                    + hex.formatHex(pck.pceId());
        }
        byte[] tee = quote.teeTcbSvn();
        TdxTcbInfo.TdxModuleIdentity module = tcbInfo.tdxModule();
        int major = tee[MODULE_MAJOR] & 0xFF;
        if (major > 0) {
            module = tcbInfo.moduleIdentity(major);
            if (module == null) {
                return "the TCB info has no TDX module identity for the quote's TDX module major version " + major;
            }
        }
        if (!Arrays.equals(module.mrSigner(), quote.mrSignerSeam())) {
            return "the TD report's MRSIGNERSEAM is not the TDX module signer of the TCB info";
        }
        if (!Arrays.equals(and(quote.seamAttributes(), module.attributesMask()), and(module.attributes(), module.attributesMask()))) {
            return "the TD report's SEAMATTRIBUTES do not match the TDX module attributes of the TCB info";
        }
        // The QE: the masked report values must equal the identity's (as Intel compares them).
        if ((quote.qeMiscSelect() & qeIdentity.miscSelectMask()) != qeIdentity.miscSelect()) {
            return "the QE report's MISCSELECT does not match the QE identity";
        }
        if (!Arrays.equals(and(quote.qeAttributes(), qeIdentity.attributesMask()), qeIdentity.attributes())) {
            return "the QE report's ATTRIBUTES do not match the QE identity";
        }
        if (!Arrays.equals(quote.qeMrSigner(), qeIdentity.mrSigner())) {
            return "the QE report's MRSIGNER is not the QE identity's";
        }
        if (quote.qeIsvProdId() != qeIdentity.isvProdId()) {
            return "the QE report's ISVPRODID " + quote.qeIsvProdId() + " is not the QE identity's " + qeIdentity.isvProdId();
        }
        return null;
    }

    /** The statuses, for collateral that {@link #mismatch} accepted. */
    static Statuses evaluate(TdxTcbInfo tcbInfo, TdxQeIdentity qeIdentity, PckSgxExtensions pck, TdxQuote quote) {
        byte[] tee = quote.teeTcbSvn();
        int major = tee[MODULE_MAJOR] & 0xFF;
        TdxTcbStatus platform = platformStatus(tcbInfo.tcbLevels(), pck, tee);
        TdxTcbStatus qe = IsvSvnTcbLevel.statusFor(qeIdentity.tcbLevels(), quote.qeIsvSvn());
        // With a module major version, its own levels rate the module's SVN (TEE_TCB_SVN[0]).
        TdxTcbStatus module = major > 0
                ? IsvSvnTcbLevel.statusFor(tcbInfo.moduleIdentity(major).tcbLevels(), tee[MODULE_MINOR] & 0xFF)
                : null;
        TdxTcbStatus combined;
        if (platform == TdxTcbStatus.NOT_SUPPORTED || qe == TdxTcbStatus.NOT_SUPPORTED || module == TdxTcbStatus.NOT_SUPPORTED) {
            combined = TdxTcbStatus.NOT_SUPPORTED;
        } else {
            combined = converge(platform, module == null ? List.of(qe) : List.of(module, qe));
        }
        return new Statuses(platform, qe, combined);
    }

    /**
     * The first level (newest first) where every SGX component and the PCE SVN of the PCK certificate,
     * and every TDX component of TEE_TCB_SVN, is at least the level's. With a TDX module major version
     * (TEE_TCB_SVN[1] != 0) the first two TDX components are the module's and are rated by its identity
     * instead, so the comparison starts at component 2.
     */
    private static TdxTcbStatus platformStatus(List<TdxTcbInfo.Level> levels, PckSgxExtensions pck, byte[] tee) {
        int[] sgx = pck.sgxSvns();
        int firstTdx = (tee[MODULE_MAJOR] & 0xFF) > 0 ? 2 : 0;
        for (TdxTcbInfo.Level level : levels) {
            if (reaches(sgx, level.sgxSvns(), 0) && pck.pceSvn() >= level.pceSvn()
                    && reaches(unsigned(tee), level.tdxSvns(), firstTdx)) {
                return level.status();
            }
        }
        return TdxTcbStatus.NOT_SUPPORTED;
    }

    /** Intel's convergence: an out-of-date component makes the platform out of date, a revoked one revoked. */
    private static TdxTcbStatus converge(TdxTcbStatus platform, List<TdxTcbStatus> components) {
        TdxTcbStatus effective = platform;
        if (components.contains(TdxTcbStatus.OUT_OF_DATE)) {
            effective = switch (platform) {
                case UP_TO_DATE, SW_HARDENING_NEEDED -> TdxTcbStatus.OUT_OF_DATE;
                case CONFIGURATION_NEEDED, CONFIGURATION_AND_SW_HARDENING_NEEDED -> TdxTcbStatus.OUT_OF_DATE_CONFIGURATION_NEEDED;
                default -> platform;
            };
        }
        if (components.contains(TdxTcbStatus.REVOKED)) {
            effective = TdxTcbStatus.REVOKED;
        }
        return effective;
    }

    private static boolean reaches(int[] have, int[] need, int from) {
        for (int i = from; i < need.length; i++) {
            if (have[i] < need[i]) {
                return false;
            }
        }
        return true;
    }

    private static int[] unsigned(byte[] b) {
        int[] out = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = b[i] & 0xFF;
        }
        return out;
    }

    private static byte[] and(byte[] a, byte[] mask) {
        byte[] out = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (byte) (a[i] & mask[i]);
        }
        return out;
    }
}
