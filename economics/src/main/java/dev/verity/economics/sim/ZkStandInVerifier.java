package dev.verity.economics.sim;

import dev.verity.core.Bytes;
import dev.verity.core.Encoder;
import dev.verity.core.Hash;
import dev.verity.core.Sha256;
import dev.verity.ledger.RejectCode;
import dev.verity.ledger.TransactionRejectedException;
import dev.verity.ledger.evidence.EvidenceContext;
import dev.verity.ledger.evidence.EvidenceVerifier;
import dev.verity.ledger.evidence.EvidenceVerifiers;
import dev.verity.protocol.VerificationMode;
import java.util.Arrays;

/**
 * A STAND-IN for a {@code ZK} verifier, for the simulation only. No validity prover exists for the simulated
 * models yet, so the simulated chain enables the ZK mode with this verifier: the evidence must be
 * {@code SHA-256("verity-sim-zk-stand-in-v1" || jobId || outputHash)}, which names the job and the output and
 * proves nothing. What a real proof costs is modelled where it lies: a ZK job occupies its node
 * {@code zkCostMultiple} times as long as the inference, and its fee carries the chain's {@code zkFeeMultiplierBps}.
 */
public final class ZkStandInVerifier implements EvidenceVerifier {
    private static final byte[] DOMAIN = Bytes.utf8("verity-sim-zk-stand-in-v1");

    /** The standard verifiers (NONE, TEE, OPTIMISTIC, SAMPLED) plus this stand-in for ZK. */
    public static EvidenceVerifiers withStandard() {
        return EvidenceVerifiers.standardWith(new ZkStandInVerifier());
    }

    /** The stand-in "proof" of {@code outputHash} for {@code job}. */
    public static byte[] proof(Hash job, Hash outputHash) {
        return Sha256.digest(new Encoder(96).fixed(DOMAIN).hash(job).hash(outputHash).toByteArray()).bytes();
    }

    @Override
    public VerificationMode mode() {
        return VerificationMode.ZK;
    }

    @Override
    public void verify(EvidenceContext context) {
        if (!Arrays.equals(context.evidence(), proof(context.job().id(), context.outputHash()))) {
            throw new TransactionRejectedException(RejectCode.INVALID_EVIDENCE,
                    "the simulated ZK stand-in proof does not name this job and output");
        }
    }
}
