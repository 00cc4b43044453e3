package dev.verity.ledger.evidence;

import dev.verity.protocol.VerificationMode;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;

/** The verifier for each enabled mode. A mode without one is refused at submission. */
public final class EvidenceVerifiers {
    private final EnumMap<VerificationMode, EvidenceVerifier> byMode = new EnumMap<>(VerificationMode.class);

    public EvidenceVerifiers(List<EvidenceVerifier> verifiers) {
        for (EvidenceVerifier v : verifiers) {
            byMode.put(v.mode(), v);
        }
    }

    public static EvidenceVerifiers standard() {
        return new EvidenceVerifiers(standardList());
    }

    /** The standard verifiers plus {@code extra}, for a mode the standard set does not enable (or replacing one). */
    public static EvidenceVerifiers standardWith(EvidenceVerifier extra) {
        List<EvidenceVerifier> all = new ArrayList<>(standardList());
        all.add(extra);
        return new EvidenceVerifiers(all);
    }

    private static List<EvidenceVerifier> standardList() {
        return List.of(new NoneEvidenceVerifier(), new TeeEvidenceVerifier(),
                new TraceEvidenceVerifier(VerificationMode.OPTIMISTIC), new TraceEvidenceVerifier(VerificationMode.SAMPLED));
    }

    public boolean supports(VerificationMode mode) {
        return byMode.containsKey(mode);
    }

    public EvidenceVerifier forMode(VerificationMode mode) {
        EvidenceVerifier v = byMode.get(mode);
        if (v == null) {
            throw new IllegalStateException("no verifier for " + mode);
        }
        return v;
    }
}
