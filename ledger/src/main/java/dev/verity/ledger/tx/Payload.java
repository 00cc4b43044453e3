package dev.verity.ledger.tx;

import dev.verity.core.Hash;
import dev.verity.core.PublicKey;
import dev.verity.ledger.VerificationMode;
import dev.verity.ledger.governance.Approval;
import dev.verity.ledger.governance.GovernanceAction;
import java.util.List;

/** What a transaction asks the ledger to do. Each variant has a stable tag in the encoding. */
public sealed interface Payload {

    /** Moves {@code amount} base units to {@code to}. */
    record Transfer(PublicKey to, long amount) implements Payload {}

    /** Registers the sender as a compute node, moving {@code stake} from its balance into stake. */
    record RegisterNode(long stake, List<Hash> models, List<VerificationMode> modes, Hardware hardware) implements Payload {
        public RegisterNode {
            models = List.copyOf(models);
            modes = List.copyOf(modes);
        }
    }

    record Bond(long amount) implements Payload {}

    /** Moves stake into an unbonding entry that can be withdrawn after the unbonding period. */
    record Unbond(long amount) implements Payload {}

    /** Moves every matured unbonding entry back to the balance. */
    record Withdraw() implements Payload {}

    record Unjail() implements Payload {}

    /**
     * Registers a model by the SHA-256 of its file. {@code inputBytes}, when not 0, is the exact size
     * of every job input (a fixed-shape tensor model), so a malformed input is refused at submission
     * instead of leaving the assigned node unable to answer.
     */
    record RegisterModel(Hash modelHash, String name, String inputDescription, String outputDescription, long computeUnits,
                         long inputBytes) implements Payload {
        /** A model whose inputs may have any size (text, for example). */
        public RegisterModel(Hash modelHash, String name, String inputDescription, String outputDescription, long computeUnits) {
            this(modelHash, name, inputDescription, outputDescription, computeUnits, 0);
        }
    }

    /** Registers the sender node's enclave key with an attestation document that binds it. */
    record RegisterEnclave(PublicKey enclaveKey, byte[] attestation) implements Payload {
        public RegisterEnclave {
            attestation = attestation.clone();
        }

        @Override
        public byte[] attestation() {
            return attestation.clone();
        }
    }

    /**
     * Asks for one inference; escrows {@code maxFee}. The job id is the transaction hash. {@code tip} is
     * added to the base price (base units per 10^15 compute units); queued jobs are assigned highest tip first.
     */
    record SubmitJob(Hash model, byte[] input, VerificationMode mode, List<VerificationMode> fallbackModes, long maxFee,
                     long deadlineBlocks, long tip) implements Payload {
        public SubmitJob {
            input = input.clone();
            fallbackModes = List.copyOf(fallbackModes);
        }

        /** A job without a tip. */
        public SubmitJob(Hash model, byte[] input, VerificationMode mode, List<VerificationMode> fallbackModes, long maxFee,
                         long deadlineBlocks) {
            this(model, input, mode, fallbackModes, maxFee, deadlineBlocks, 0);
        }

        @Override
        public byte[] input() {
            return input.clone();
        }
    }

    /** The assigned node's answer to a job with the evidence its mode needs. */
    record SubmitResult(Hash jobId, byte[] output, byte[] evidence) implements Payload {
        public SubmitResult {
            output = output.clone();
            evidence = evidence.clone();
        }

        @Override
        public byte[] output() {
            return output.clone();
        }

        @Override
        public byte[] evidence() {
            return evidence.clone();
        }
    }

    /**
     * A governance proposal: {@code proposal} must be the chain's next proposal number, and at least
     * the council's threshold of its members must approve it. Anyone may submit it.
     */
    record Govern(long proposal, GovernanceAction action, List<Approval> approvals) implements Payload {
        public Govern {
            approvals = List.copyOf(approvals);
        }
    }

    /**
     * Attaches an integer program to a model the sender owns, so the model can be served in the provable
     * modes: the program root, its leaf count and the engine's step count (docs/PROTOCOL.md). Set once.
     */
    record RegisterProgram(Hash model, Hash programRoot, long leafCount, long stepCount) implements Payload {}

    /**
     * Disputes an {@code OPTIMISTIC} result inside its challenge window: {@code output} is what the challenger
     * says is right and {@code evidence} the trace claim (root and output path) of the tree the result's node
     * should have committed. Escrows the chain's challenger bond.
     */
    record Challenge(Hash jobId, byte[] output, byte[] evidence) implements Payload {
        public Challenge {
            output = output.clone();
            evidence = evidence.clone();
        }

        @Override
        public byte[] output() {
            return output.clone();
        }

        @Override
        public byte[] evidence() {
            return evidence.clone();
        }
    }

    /** A party's bisection move in the dispute over job {@code jobId}: its node values of the two halves of the range. */
    record DisputeMove(Hash jobId, Hash left, Hash right) implements Payload {}

    /**
     * The proof of a dispute's single step: the agreed trace value before it ({@code previousValue}, zero for
     * index 0) with its top-down path inside the agreed range, and the step's witness (docs/PROTOCOL.md).
     */
    record ProveStep(Hash jobId, Hash previousValue, List<Hash> previousPath, byte[] witness) implements Payload {
        public ProveStep {
            previousPath = List.copyOf(previousPath);
            witness = witness.clone();
        }

        @Override
        public byte[] witness() {
            return witness.clone();
        }
    }

    /** The assigned auditor's re-run of a {@code SAMPLED} job: its output and the trace claim for the result's node. */
    record AuditReport(Hash jobId, byte[] output, byte[] evidence) implements Payload {
        public AuditReport {
            output = output.clone();
            evidence = evidence.clone();
        }

        @Override
        public byte[] output() {
            return output.clone();
        }

        @Override
        public byte[] evidence() {
            return evidence.clone();
        }
    }
}
