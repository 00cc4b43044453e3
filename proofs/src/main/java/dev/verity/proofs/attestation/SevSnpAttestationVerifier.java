package dev.verity.proofs.attestation;

import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.x509.Certificate;

/**
 * The chain's view of SEV-SNP evidence: the report, its VCEK (or VLEK) and intermediates come from
 * the document; the ARK must be one of the roots in chain state, never one the document brings.
 */
public final class SevSnpAttestationVerifier implements AttestationVerifier {
    @Override
    public TeeType type() {
        return TeeType.SEV_SNP;
    }

    @Override
    public AttestationVerdict verify(AttestationEvidence evidence, TrustAnchors anchors) {
        if (!(evidence instanceof AttestationEvidence.SevSnp snp)) {
            return new AttestationVerdict.Invalid("not SEV-SNP evidence");
        }
        List<Collateral> roots = roots(anchors);
        if (roots.isEmpty()) {
            return new AttestationVerdict.Invalid("the chain trusts no SEV-SNP root certificate");
        }
        List<byte[]> intermediates = new ArrayList<>();
        for (byte[] der : snp.intermediates()) {
            Certificate c = parse(der);
            if (c == null) {
                return new AttestationVerdict.Invalid("an intermediate certificate of the document does not parse");
            }
            if (c.getSubject().equals(c.getIssuer())) {
                return new AttestationVerdict.Invalid("the document brings a self-signed certificate ("
                        + c.getSubject() + "); roots come from chain state only");
            }
            intermediates.add(der);
        }
        // One trusted root at a time, so the verdict names the root that anchors the chain.
        String firstReason = null;
        for (Collateral root : roots) {
            List<byte[]> candidates = new ArrayList<>(intermediates);
            candidates.add(root.data());
            SevSnpVerifier.Result r = SevSnpVerifier.verify(snp.report(), snp.leafCertificate(), candidates,
                    anchors.timeEpochSeconds(), true);
            if (r.valid()) {
                SevSnpReport report = SevSnpReport.parse(snp.report());
                SevSnpTcb tcb = report.reportedTcb();
                return new AttestationVerdict.Valid(TeeType.SEV_SNP, new Measurement(report.measurement()),
                        report.reportData(), report.chipId(),
                        TcbVersion.of(0, tcb.bootloader(), tcb.tee(), tcb.snp(), tcb.microcode()), null,
                        report.debugAllowed(), root.id());
            }
            if (firstReason == null || !r.reason().startsWith("certificate chain")) {
                firstReason = r.reason();
            }
        }
        return new AttestationVerdict.Invalid(firstReason);
    }

    private static List<Collateral> roots(TrustAnchors anchors) {
        List<Collateral> out = new ArrayList<>();
        for (Collateral c : anchors.collateral()) {
            if (c.type() == TeeType.SEV_SNP && c.kind() == CollateralKind.ROOT_CERTIFICATE) {
                out.add(c);
            }
        }
        return out;
    }

    private static Certificate parse(byte[] der) {
        try {
            return Certificate.getInstance(der);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
