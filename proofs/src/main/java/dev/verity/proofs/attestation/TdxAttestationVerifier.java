package dev.verity.proofs.attestation;

import dev.verity.core.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.x509.Certificate;

/**
 * The chain's view of TDX evidence: the quote (with its PCK chain) comes from the document; Intel's
 * root, the revocation lists and the TCB collateral come from chain state.
 */
public final class TdxAttestationVerifier implements AttestationVerifier {
    private static final int TEE_TCB_SVN_LENGTH = 16;

    @Override
    public TeeType type() {
        return TeeType.TDX;
    }

    @Override
    public AttestationVerdict verify(AttestationEvidence evidence, TrustAnchors anchors) {
        if (!(evidence instanceof AttestationEvidence.Tdx tdx)) {
            return new AttestationVerdict.Invalid("not TDX evidence");
        }
        List<Collateral> roots = new ArrayList<>();
        for (Collateral c : anchors.collateral()) {
            if (c.type() == TeeType.TDX && c.kind() == CollateralKind.ROOT_CERTIFICATE) {
                roots.add(c);
            }
        }
        if (roots.isEmpty()) {
            return new AttestationVerdict.Invalid("the chain trusts no TDX root certificate");
        }
        List<byte[]> crls = anchors.of(TeeType.TDX, CollateralKind.REVOCATION_LIST);
        String firstReason = null;
        for (Collateral root : roots) {
            TdxVerifier.Result r = TdxVerifier.verify(tdx.quote(), root.data(), crls, anchors.timeEpochSeconds());
            if (r.valid()) {
                return valid(TdxQuote.parse(tdx.quote()), root);
            }
            firstReason = firstReason == null ? r.reason() : firstReason;
        }
        return new AttestationVerdict.Invalid(firstReason);
    }

    private static AttestationVerdict valid(TdxQuote quote, Collateral root) {
        byte[] body = quote.body();
        int[] svn = new int[TEE_TCB_SVN_LENGTH];
        for (int i = 0; i < svn.length; i++) {
            svn[i] = body[i] & 0xFF;
        }
        boolean debug = (quote.tdAttributes() & 1L) != 0;
        return new AttestationVerdict.Valid(TeeType.TDX, new Measurement(quote.mrtd()), quote.reportData(),
                pckKeyId(quote), TcbVersion.of(svn), null, debug, root.id());
    }

    /** The platform's identity: SHA-256 of the PCK leaf's public key info (the first certificate of the chain). */
    private static byte[] pckKeyId(TdxQuote quote) {
        List<byte[]> chain = SevSnpVerifier.pemToDer(new String(quote.pckCertChainPem(), StandardCharsets.US_ASCII));
        Certificate leaf = Certificate.getInstance(chain.get(0));
        try {
            return Sha256.digest(leaf.getSubjectPublicKeyInfo().getEncoded()).bytes();
        } catch (Exception e) { // IOException from re-encoding a key that was just parsed: cannot happen
            throw new IllegalStateException("re-encoding a parsed public key", e);
        }
    }
}
