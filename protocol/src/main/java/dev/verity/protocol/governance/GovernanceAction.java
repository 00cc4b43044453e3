package dev.verity.protocol.governance;

import dev.verity.core.Hash;
import dev.verity.proofs.attestation.Collateral;
import dev.verity.proofs.attestation.Measurement;
import dev.verity.proofs.attestation.TcbVersion;
import dev.verity.proofs.attestation.TeeType;

/** What a governance proposal changes. Each variant has a stable tag in the encoding. */
public sealed interface GovernanceAction {
    /** Trusts a root certificate, a revocation list or vendor collateral (TCB info, QE identity). */
    record AddCollateral(Collateral collateral) implements GovernanceAction {}

    /** Stops trusting collateral; removing a root unregisters every enclave anchored at it. */
    record RemoveCollateral(Hash id, String reason) implements GovernanceAction {}

    /** Adds a build of the node software to the allowlist of its TEE type. */
    record ApproveMeasurement(TeeType type, Measurement measurement, String label) implements GovernanceAction {}

    /** Revokes a vendor, a chip or a measurement: its enclaves are unregistered and their TEE jobs move down the ladder. */
    record Revoke(RevocationTarget target, String reason) implements GovernanceAction {}

    /** Lifts a revocation for future registrations (enclaves that were dropped must register again). */
    record Reinstate(RevocationTarget target) implements GovernanceAction {}

    /** Raises (or sets) the lowest TCB version accepted for a TEE type; enclaves below it are unregistered. */
    record SetMinimumTcb(TeeType type, TcbVersion minimum, String reason) implements GovernanceAction {}

    /** Hands governance to another council (for example a multi-signature one). */
    record ReplaceCouncil(Council council) implements GovernanceAction {}

    /**
     * Sets the dispute and audit parameters. Refused unless cheating stays a losing bet for every model
     * with a program: {@code auditProbability x (slash + forfeited fee) > cost of computing the job}
     * (docs/SLASHING.md).
     */
    record SetVerificationParams(long challengeWindowBlocks, long moveDeadlineBlocks, long challengerBond,
                                 long disputeSlashBps, long winnerShareBps, long auditProbabilityBps)
            implements GovernanceAction {}
}
