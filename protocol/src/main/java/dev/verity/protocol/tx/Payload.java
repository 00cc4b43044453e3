package dev.verity.protocol.tx;

import dev.verity.core.Hash;
import dev.verity.core.PublicKey;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.consensus.SignedVote;
import dev.verity.protocol.governance.Approval;
import dev.verity.protocol.governance.GovernanceAction;
import dev.verity.protocol.schema.InputSchema;
import java.util.List;

/** What a transaction asks the ledger to do. Each variant has a stable tag in the encoding. */
public sealed interface Payload {

    /** Moves {@code amount} base units to {@code to}. */
    record Transfer(PublicKey to, long amount) implements Payload {}

    /**
     * Registers the sender as a compute node, moving {@code stake} from its balance into stake. {@code capacity} is
     * the most jobs it runs at once: the chain never assigns it more.
     */
    record RegisterNode(long stake, List<Hash> models, List<VerificationMode> modes, Hardware hardware, int capacity)
            implements Payload {
        /** The default capacity a node declares when it says nothing: {@value}. */
        public static final int DEFAULT_CAPACITY = 4;

        public RegisterNode {
            models = List.copyOf(models);
            modes = List.copyOf(modes);
        }

        public RegisterNode(long stake, List<Hash> models, List<VerificationMode> modes, Hardware hardware) {
            this(stake, models, modes, hardware, DEFAULT_CAPACITY);
        }
    }

    /** Changes the sender node's capacity: the most jobs the chain assigns it at once (jobs in flight stay). */
    record SetCapacity(int capacity) implements Payload {}

    /**
     * The assigned node's answer that it could not run a job: {@code reason} says whose fault it was, {@code message}
     * what happened (at most {@value #MAX_MESSAGE_BYTES} bytes of UTF-8). An {@link FailureReason#INPUT_REJECTED}
     * failure carries the evidence of the job's mode (docs/SLASHING.md): nothing for NONE, the enclave's signature over
     * a {@code TeeFailureStatement} for TEE, the integer program's input witness for OPTIMISTIC and SAMPLED, which the
     * chain executes to see the refusal itself.
     */
    record SubmitFailure(Hash jobId, FailureReason reason, String message, byte[] evidence) implements Payload {
        public static final int MAX_MESSAGE_BYTES = 256;

        public SubmitFailure {
            evidence = evidence.clone();
        }

        @Override
        public byte[] evidence() {
            return evidence.clone();
        }
    }

    record Bond(long amount) implements Payload {}

    /** Moves stake into an unbonding entry that can be withdrawn after the unbonding period. */
    record Unbond(long amount) implements Payload {}

    /** Moves every matured unbonding entry back to the balance. */
    record Withdraw() implements Payload {}

    record Unjail() implements Payload {}

    /**
     * Registers a model by the SHA-256 of its file with the schema of its inputs, which the ledger checks at
     * every submission, so an input no node could run is refused before anything is escrowed or assigned.
     */
    record RegisterModel(Hash modelHash, String name, String inputDescription, String outputDescription, long computeUnits,
                         InputSchema inputSchema) implements Payload {
        /** A text model: UTF-8 of 1 byte up to the default chain input limit. */
        public RegisterModel(Hash modelHash, String name, String inputDescription, String outputDescription, long computeUnits) {
            this(modelHash, name, inputDescription, outputDescription, computeUnits, new InputSchema.Utf8Text(1, 64 * 1024));
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
    /**
     * Many jobs of the sender in one transaction, signed once. Each is a job of its own, with its own id
     * ({@link #jobId}), escrow, node, verification and refund; the transaction applies whole or not at all, and a
     * refusal names the job that failed.
     */
    record SubmitJobs(List<SubmitJob> jobs) implements Payload {
        /** The most jobs in one transaction. */
        public static final int MAX_JOBS = 1024;
        private static final byte[] JOB_ID_DOMAIN = dev.verity.core.Bytes.utf8("verity-batch-job-v1");

        public SubmitJobs {
            jobs = List.copyOf(jobs);
        }

        /** The id of the {@code index}-th job of the batch transaction {@code txHash}. */
        public static Hash jobId(Hash txHash, int index) {
            return dev.verity.core.Sha256.digest(new dev.verity.core.Encoder(64).fixed(JOB_ID_DOMAIN).hash(txHash).u32(index)
                    .toByteArray());
        }
    }

    /**
     * Many results of the sender node in one transaction, signed once. A {@code TEE} result in it carries no evidence
     * of its own: {@code teeBatchSignature} is the node's enclave signature over the Merkle root of the batch's TEE
     * result statements, in order (empty when the batch has no TEE result). Every other result carries its own
     * evidence as in {@link SubmitResult}. Each result is verified, settled, disputable and refundable on its own;
     * the transaction applies whole or not at all.
     */
    record SubmitResults(List<SubmitResult> results, byte[] teeBatchSignature) implements Payload {
        /** The most results in one transaction. */
        public static final int MAX_RESULTS = 1024;

        public SubmitResults {
            results = List.copyOf(results);
            teeBatchSignature = teeBatchSignature.clone();
        }

        @Override
        public byte[] teeBatchSignature() {
            return teeBatchSignature.clone();
        }
    }

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

    /**
     * Moves {@code amount} from the sender's balance into its validator stake. A sender outside the validator set
     * joins it (with at least {@code minValidatorStake} and both addresses); a member adds to its stake, and an
     * address given here replaces its old one (empty keeps it). {@code peerAddress} is {@code host:port} of its
     * replication endpoint, {@code apiUrl} {@code http(s)://host[:port][/path]} of its API (docs/PROTOCOL.md).
     */
    record ValidatorBond(long amount, String peerAddress, String apiUrl) implements Payload {
        public ValidatorBond {
            peerAddress = peerAddress == null ? "" : peerAddress;
            apiUrl = apiUrl == null ? "" : apiUrl;
        }
    }

    /**
     * A registered node announces the base URL where it serves what it computes as it computes it (the tokens of its
     * generation jobs, to the clients' gateways): {@code http(s)://host[:port][/path]}, as a validator's API URL. An
     * empty URL withdraws it.
     */
    record SetNodeEndpoint(String url) implements Payload {
        public SetNodeEndpoint {
            url = url == null ? "" : url;
        }
    }

    /**
     * The sender leaves the validator set: from the next block it signs nothing, and its whole validator stake
     * unbonds for {@code unbondingBlocks}, after which {@link Withdraw} returns it. The last validator cannot leave.
     */
    record ValidatorLeave() implements Payload {}

    /**
     * Evidence that a validator signed two different finality votes at one height of this chain; anyone may send
     * it. The validator loses {@code validatorSlashBps} of its validator stake and its place in the set
     * (docs/SLASHING.md).
     */
    record ReportEquivocation(SignedVote first, SignedVote second) implements Payload {
        public ReportEquivocation {
            if (first == null || second == null) {
                throw new IllegalArgumentException("an equivocation report holds two signed votes");
            }
        }
    }
}
