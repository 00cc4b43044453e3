package dev.verity.sdk;

import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.core.PublicKey;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.governance.Approval;
import dev.verity.protocol.governance.GovernanceAction;
import dev.verity.protocol.governance.GovernanceCodec;
import dev.verity.protocol.schema.InputSchema;
import dev.verity.protocol.tx.FailureReason;
import dev.verity.protocol.tx.Hardware;
import dev.verity.protocol.tx.Payload;
import dev.verity.protocol.tx.SignedTransaction;
import dev.verity.protocol.tx.TransactionBody;
import dev.verity.sdk.api.AccountView;
import dev.verity.sdk.api.TransactionReceipt;
import java.util.ArrayList;
import java.util.List;

/**
 * A key and a client: builds, signs and submits transactions with the right nonce. The chain id
 * comes from {@code /v1/status} and the first nonce from {@code /v1/accounts} on first use; after
 * that nonces are counted here. When the node refuses a transaction with {@code BAD_NONCE} (another
 * program used the key, or an earlier transaction was refused when its block was built) the nonce
 * is fetched again and the transaction re-signed and sent once more. Thread-safe: submissions from
 * one wallet are serialized.
 *
 * <p>Every transaction method returns the transaction's hash once the node has durably accepted it
 * (status PENDING); use {@link VerityClient#awaitReceipt} to wait for its block. A refusal is a
 * {@link VerityApiException} with the ledger's reject code.
 */
public final class Wallet {
    private final PrivateKey key;
    private final VerityClient client;
    private String chainId;
    private long nextNonce = -1;

    public Wallet(VerityClient client, PrivateKey key) {
        this.key = key;
        this.client = client;
    }

    /** The same as {@link #Wallet(VerityClient, PrivateKey)}. */
    public Wallet(PrivateKey key, VerityClient client) {
        this(client, key);
    }

    /** The account (and node id) of this wallet. */
    public PublicKey publicKey() {
        return key.publicKey();
    }

    public VerityClient client() {
        return client;
    }

    /** The account as the node sees it now. */
    public AccountView account() {
        return client.account(key.publicKey());
    }

    /** The chain id the wallet signs for (fetched from the node on first use). */
    public synchronized String chainId() {
        if (chainId == null) {
            chainId = client.status().chainId();
        }
        return chainId;
    }

    /** The nonce the next transaction will carry (fetched from the node on first use). */
    public synchronized long nextNonce() {
        if (nextNonce < 0) {
            nextNonce = client.account(key.publicKey()).nextNonce();
        }
        return nextNonce;
    }

    /** Forgets the counted nonce; the next transaction fetches it from the node again. */
    public synchronized void resetNonce() {
        nextNonce = -1;
    }

    /** Signs {@code payload} as this wallet's transaction with {@code nonce}, without sending it. */
    public SignedTransaction sign(Payload payload, long nonce) {
        return SignedTransaction.sign(new TransactionBody(chainId(), key.publicKey(), nonce, payload), key);
    }

    /** Signs and submits any payload with the next nonce; returns the transaction hash once the node holds it durably. */
    public Hash submit(Payload payload) {
        return send(payload).hash();
    }

    /** What {@link #send} returns: the transaction as submitted (its hash is the job id of a job) and its receipt. */
    public record Sent(SignedTransaction transaction, TransactionReceipt receipt) {
        public Hash hash() {
            return transaction.hash();
        }
    }

    /** Signs and submits {@code payload} with the next nonce, retrying once with a fresh nonce on BAD_NONCE. */
    public synchronized Sent send(Payload payload) {
        long nonce = nextNonce();
        SignedTransaction tx = sign(payload, nonce);
        try {
            return accepted(tx);
        } catch (VerityApiException e) {
            if (!"BAD_NONCE".equals(e.code())) {
                throw e;
            }
            long fresh = client.account(key.publicKey()).nextNonce();
            nextNonce = fresh;
            if (fresh == nonce) {
                throw e; // the same transaction again would be refused the same way (e.g. an exact replay)
            }
            return accepted(sign(payload, fresh));
        }
    }

    private Sent accepted(SignedTransaction tx) {
        try {
            TransactionReceipt r = client.submit(tx);
            nextNonce = tx.body().nonce() + 1;
            return new Sent(tx, r);
        } catch (VerityApiException e) {
            boolean notAdmitted = e.httpStatus() / 100 == 4 || e.httpStatus() == 503
                    || VerityApiException.UNREACHABLE.equals(e.code());
            if (!notAdmitted) {
                nextNonce = -1; // the node may or may not have taken it: ask again next time
            }
            throw e;
        }
    }

    // ------------------------------------------------------------------ typed transactions

    /** Moves {@code amount} base units to {@code to}. */
    public Hash transfer(PublicKey to, long amount) {
        return submit(new Payload.Transfer(to, amount));
    }

    /** Registers this account as a compute node with {@code stake} base units moved from its balance. */
    /** Registers this account as a compute node that runs at most {@code capacity} jobs at once. */
    public Hash registerNode(long stake, List<Hash> models, List<VerificationMode> modes, Hardware hardware, int capacity) {
        return submit(new Payload.RegisterNode(stake, models, modes, hardware, capacity));
    }

    /** Declares a new capacity: the most jobs the chain assigns this node at once. */
    public Hash setCapacity(int capacity) {
        return submit(new Payload.SetCapacity(capacity));
    }

    /** Reports that this node could not run an assigned job: why, what happened, and the evidence its mode needs. */
    public Hash submitFailure(Hash jobId, FailureReason reason, String message, byte[] evidence) {
        return submit(new Payload.SubmitFailure(jobId, reason, message, evidence));
    }

    public Hash registerNode(long stake, List<Hash> models, List<VerificationMode> modes, Hardware hardware) {
        return submit(new Payload.RegisterNode(stake, models, modes, hardware));
    }

    public Hash bond(long amount) {
        return submit(new Payload.Bond(amount));
    }

    /** Starts unbonding {@code amount} of stake; it can be withdrawn after the chain's unbonding period. */
    public Hash unbond(long amount) {
        return submit(new Payload.Unbond(amount));
    }

    /** Moves every matured unbonding entry back to the balance. */
    public Hash withdraw() {
        return submit(new Payload.Withdraw());
    }

    public Hash unjail() {
        return submit(new Payload.Unjail());
    }

    /** Registers a model by the SHA-256 of its file with the schema the chain checks every job input against. */
    public Hash registerModel(Hash modelHash, String name, String inputDescription, String outputDescription,
                              long computeUnits, InputSchema inputSchema) {
        return submit(new Payload.RegisterModel(modelHash, name, inputDescription, outputDescription, computeUnits, inputSchema));
    }

    /** Registers a text model: UTF-8 of 1 byte up to 64 KiB. */
    public Hash registerModel(Hash modelHash, String name, String inputDescription, String outputDescription,
                              long computeUnits) {
        return submit(new Payload.RegisterModel(modelHash, name, inputDescription, outputDescription, computeUnits));
    }

    /** Registers this node's enclave key with an attestation document binding it. */
    public Hash registerEnclave(PublicKey enclaveKey, byte[] attestation) {
        return submit(new Payload.RegisterEnclave(enclaveKey, attestation));
    }

    /** Submits a job, escrowing {@code maxFee}; returns the job id (the transaction hash). */
    public Hash submitJob(Hash model, byte[] input, VerificationMode mode, List<VerificationMode> fallbacks, long maxFee,
                          long deadlineBlocks) {
        return submitJob(model, input, mode, fallbacks, maxFee, deadlineBlocks, 0);
    }

    /**
     * Submits a job with a tip on top of the base price (base units per 10^15 compute units; queued jobs are
     * assigned highest tip first), escrowing {@code maxFee}; returns the job id.
     */
    public Hash submitJob(Hash model, byte[] input, VerificationMode mode, List<VerificationMode> fallbacks, long maxFee,
                          long deadlineBlocks, long tip) {
        return send(new Payload.SubmitJob(model, input, mode, fallbacks, maxFee, deadlineBlocks, tip)).hash();
    }

    /** Posts this node's result for an assigned job with the evidence its mode needs (empty for NONE). */
    public Hash submitResult(Hash jobId, byte[] output, byte[] evidence) {
        return submit(new Payload.SubmitResult(jobId, output, evidence));
    }

    // ------------------------------------------------------------------ provable modes

    /**
     * Attaches the integer program of a model this account owns (root, leaf count, step count of its
     * {@code ProgramCommitment}), so the model can be served OPTIMISTIC and SAMPLED. Set once.
     */
    public Hash registerProgram(Hash model, Hash programRoot, long leafCount, long stepCount) {
        return submit(new Payload.RegisterProgram(model, programRoot, leafCount, stepCount));
    }

    /**
     * Challenges an OPTIMISTIC result in its challenge window: {@code output} is what this account says is
     * right, {@code evidence} the trace claim of the tree the result's node should have committed. Escrows
     * the chain's challenger bond from this account's balance.
     */
    public Hash challenge(Hash job, byte[] output, byte[] evidence) {
        return submit(new Payload.Challenge(job, output, evidence));
    }

    /** This party's bisection move: its node values of the two halves of the dispute's current range. */
    public Hash disputeMove(Hash job, Hash left, Hash right) {
        return submit(new Payload.DisputeMove(job, left, right));
    }

    /**
     * Proves the dispute's single step: the agreed trace value before it (zero for index 0) with its
     * top-down path inside the agreed range (empty for index 0), and the step's encoded witness.
     */
    public Hash proveStep(Hash job, Hash previousValue, List<Hash> previousPath, byte[] witness) {
        return submit(new Payload.ProveStep(job, previousValue, previousPath, witness));
    }

    /** The assigned auditor's report on a SAMPLED job: its output and the trace claim for the result's node. */
    public Hash auditReport(Hash job, byte[] output, byte[] evidence) {
        return submit(new Payload.AuditReport(job, output, evidence));
    }

    // ------------------------------------------------------------------ governance

    /**
     * Proposes {@code action} as the chain's next governance proposal, approved by {@code approvers}
     * (council members' keys; at least the council's threshold of them), and submits it from this
     * wallet, which need not be a council member. The proposal number is the node's
     * {@code nextProposal} now; a proposal applied in between makes this one refused with
     * {@code INVALID_PROPOSAL}. Approvers signed apart are sent with {@link #govern(long, GovernanceAction, List)}.
     */
    public Hash govern(GovernanceAction action, List<PrivateKey> approvers) {
        return send(governPayload(action, approvers)).hash();
    }

    /** Submits proposal number {@code proposal} with approvals gathered beforehand (see {@link #approve}). */
    public Hash govern(long proposal, GovernanceAction action, List<Approval> approvals) {
        return submit(new Payload.Govern(proposal, action, approvals));
    }

    private Payload.Govern governPayload(GovernanceAction action, List<PrivateKey> approvers) {
        if (approvers.isEmpty()) {
            throw new IllegalArgumentException("a governance proposal needs at least one council member's approval");
        }
        long proposal = client.teePolicy().nextProposal();
        String chain = chainId();
        List<Approval> approvals = new ArrayList<>(approvers.size());
        for (PrivateKey member : approvers) {
            approvals.add(approve(chain, proposal, action, member));
        }
        return new Payload.Govern(proposal, action, approvals);
    }

    /**
     * A council member's approval of proposal number {@code proposal} on chain {@code chainId}: an
     * Ed25519 signature over {@link GovernanceCodec#signingBytes}. Members can sign apart, on their
     * own machines, and hand their approvals to whoever submits the proposal.
     */
    public static Approval approve(String chainId, long proposal, GovernanceAction action, PrivateKey member) {
        return new Approval(member.publicKey(), member.sign(GovernanceCodec.signingBytes(chainId, proposal, action)));
    }
}
