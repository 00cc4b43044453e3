package dev.verity.proofs.attestation;

import java.util.ArrayList;
import java.util.List;

/**
 * The chain's view of TDX evidence: the quote (with its PCK chain) comes from the document; Intel's
 * root, the revocation lists, the TCB info, the QE identity and the TCB signing certificate come from
 * chain state. The chain may hold TCB info for several platform families (FMSPCs): each is tried and
 * the one that matches the quote's PCK certificate decides the TCB status.
 */
public final class TdxAttestationVerifier implements AttestationVerifier {
    @Override
    public TeeType type() {
        return TeeType.TDX;
    }

    @Override
    public AttestationVerdict verify(AttestationEvidence evidence, TrustAnchors anchors) {
        if (!(evidence instanceof AttestationEvidence.Tdx tdx)) {
            return new AttestationVerdict.Invalid("not TDX evidence");
        }
        List<Collateral> roots = anchors.matching(TeeType.TDX, CollateralKind.ROOT_CERTIFICATE);
        if (roots.isEmpty()) {
            return new AttestationVerdict.Invalid("the chain trusts no TDX root certificate");
        }
        byte[] qeIdentity = anchors.first(TeeType.TDX, CollateralKind.QE_IDENTITY);
        List<byte[]> signing = anchors.of(TeeType.TDX, CollateralKind.TCB_SIGNING_CERTIFICATE);
        List<TdxCollateral> options = new ArrayList<>();
        if (qeIdentity != null && !signing.isEmpty()) {
            for (byte[] tcbInfo : anchors.of(TeeType.TDX, CollateralKind.TCB_INFO)) {
                options.add(new TdxCollateral(tcbInfo, qeIdentity, signing));
            }
        }
        if (options.isEmpty()) {
            return new AttestationVerdict.Invalid("the chain holds no TDX TCB info, QE identity and TCB signing "
                    + "certificate, so it cannot judge a TDX platform's TCB");
        }
        List<byte[]> crls = anchors.of(TeeType.TDX, CollateralKind.REVOCATION_LIST);
        String firstReason = null;
        for (Collateral root : roots) {
            for (TdxCollateral collateral : options) {
                TdxVerifier.Result r = TdxVerifier.verify(tdx.quote(), root.data(), crls, collateral,
                        anchors.timeEpochSeconds());
                if (r.valid()) {
                    return valid(r, root);
                }
                // TCB info for another platform family says little; keep a more telling reason when one comes.
                if (firstReason == null || firstReason.contains("FMSPC") || firstReason.contains("fmspc")) {
                    firstReason = r.reason();
                }
            }
        }
        return new AttestationVerdict.Invalid(firstReason);
    }

    private static AttestationVerdict valid(TdxVerifier.Result r, Collateral root) {
        byte[] svn = r.teeTcbSvn();
        int[] components = new int[svn.length];
        for (int i = 0; i < svn.length; i++) {
            components[i] = svn[i] & 0xFF;
        }
        return new AttestationVerdict.Valid(TeeType.TDX, new Measurement(r.mrtd()), r.reportData(), r.chipId(),
                TcbVersion.of(components), r.tcbStatus(), r.debug(), root.id());
    }
}
