package dev.verity.proofs.attestation;

import dev.verity.core.Hash;
import dev.verity.core.Sha256;
import java.util.ArrayList;
import java.util.List;

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
        List<Collateral> roots = anchors.matching(TeeType.SEV_SNP, CollateralKind.ROOT_CERTIFICATE);
        if (roots.isEmpty()) {
            return new AttestationVerdict.Invalid("the chain trusts no SEV-SNP root certificate");
        }
        List<byte[]> arks = new ArrayList<>();
        for (Collateral root : roots) {
            arks.add(root.data());
        }
        // Debug guests are authentic evidence; refusing them is the ledger's policy, so allow them here.
        SevSnpVerifier.Result r = SevSnpVerifier.verify(snp.report(), snp.leafCertificate(), snp.intermediates(), arks,
                anchors.timeEpochSeconds(), true);
        if (!r.valid()) {
            return new AttestationVerdict.Invalid(r.reason());
        }
        Hash rootId = null;
        for (Collateral root : roots) {
            if (Sha256.digest(root.data()).equals(Hash.wrap(r.arkSha256()))) {
                rootId = root.id();
            }
        }
        if (rootId == null) {
            return new AttestationVerdict.Invalid("the verifier anchored the chain at a root the chain does not hold");
        }
        SevSnpTcb tcb = r.reportedTcb();
        TcbVersion version = TcbVersion.of(tcb.fmc() == null ? 0 : tcb.fmc(), tcb.bootloader(), tcb.tee(), tcb.snp(),
                tcb.microcode());
        return new AttestationVerdict.Valid(TeeType.SEV_SNP, new Measurement(r.measurement()), r.reportData(),
                r.chipId() == null ? new byte[0] : r.chipId(), version, null, r.debugAllowed(), rootId);
    }
}
