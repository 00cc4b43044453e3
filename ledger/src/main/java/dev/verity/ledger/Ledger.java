package dev.verity.ledger;

import dev.verity.core.DecodingException;
import dev.verity.core.PublicKey;
import dev.verity.ledger.evidence.EvidenceVerifiers;
import dev.verity.ledger.rules.AuditRules;
import dev.verity.ledger.rules.BlockEndRules;
import dev.verity.ledger.rules.DisputeRules;
import dev.verity.ledger.rules.EnclaveRules;
import dev.verity.ledger.rules.FailureRules;
import dev.verity.ledger.rules.GovernanceRules;
import dev.verity.ledger.rules.JobRules;
import dev.verity.ledger.rules.ModelRules;
import dev.verity.ledger.rules.ProvableRules;
import dev.verity.ledger.rules.StakingRules;
import dev.verity.ledger.rules.TransferRules;
import dev.verity.ledger.rules.ValidatorRules;
import dev.verity.ledger.state.Account;
import dev.verity.ledger.state.JobRetirement;
import dev.verity.ledger.state.LedgerState;
import dev.verity.ledger.state.MeasurementKey;
import dev.verity.ledger.state.StateBackend;
import dev.verity.proofs.attestation.AttestationVerifiers;
import dev.verity.proofs.attestation.Collateral;
import dev.verity.protocol.Params;
import dev.verity.protocol.consensus.ValidatorSet;
import dev.verity.protocol.tx.Payload;
import dev.verity.protocol.tx.SignedTransaction;
import dev.verity.protocol.tx.TransactionCodec;

/**
 * The state transition. Pure and deterministic: the same genesis and the same blocks give the
 * same state root on every machine. A transaction either applies whole or is refused with a
 * {@link TransactionRejectedException} and leaves the state exactly as it was.
 */
public final class Ledger {
    private final String chainId;
    private final LedgerState state;
    private final EvidenceVerifiers evidence;
    private final AttestationVerifiers attestations;

    public Ledger(String chainId, LedgerState state, EvidenceVerifiers evidence, AttestationVerifiers attestations) {
        this.chainId = chainId;
        this.state = state;
        this.evidence = evidence;
        this.attestations = attestations;
    }

    /** The state at height 0. */
    public static Ledger fromGenesis(Genesis g) {
        return fromGenesis(g, EvidenceVerifiers.standard());
    }

    /**
     * The state at height 0 with these evidence verifiers: a chain (or a simulation of one) that enables a
     * mode the standard set does not.
     */
    public static Ledger fromGenesis(Genesis g, EvidenceVerifiers verifiers) {
        return fromGenesis(g, verifiers, new LedgerState());
    }

    /** The state at height 0, written into {@code empty} (a fresh state over the backend that will store it). */
    public static Ledger fromGenesis(Genesis g, EvidenceVerifiers verifiers, LedgerState empty) {
        String problem = g.params().problem();
        if (problem != null) {
            throw new IllegalArgumentException("invalid genesis parameters: " + problem);
        }
        LedgerState s = empty;
        s.setParams(g.params());
        s.setGlobal(LedgerState.GLOBAL_BASE_PRICE, g.params().initialBasePrice());
        for (Genesis.Allocation a : g.allocations()) {
            s.accounts.put(a.account(), new Account(a.balance(), 0));
        }
        if (g.validators().isEmpty()) {
            throw new IllegalArgumentException("invalid genesis: it names no validator, so nobody could sign block 1");
        }
        try {
            s.setValidatorSet(ValidatorSet.of(g.validators()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid genesis validators: " + e.getMessage(), e);
        }
        s.setCouncil(g.council());
        for (Collateral c : g.collateral()) {
            s.collateral.put(c.id(), c);
        }
        for (Genesis.ApprovedMeasurement m : g.approvedMeasurements()) {
            s.approvedMeasurements.put(new MeasurementKey(m.type(), m.measurement()), m.label());
        }
        for (Genesis.MinimumTcb m : g.minimumTcbs()) {
            s.minimumTcbs.put((long) m.type().code(), m.minimum());
        }
        s.drainEvents();
        return new Ledger(g.chainId(), s, verifiers, AttestationVerifiers.standard());
    }

    /** A ledger over the state committed in a backend (a restarting node): nothing is loaded up front. */
    public static Ledger restore(Genesis g, StateBackend committed) {
        return restore(g, new LedgerState(committed, LedgerState.DEFAULT_CACHE_ROWS));
    }

    /** A ledger over a state already opened over its backend. */
    public static Ledger restore(Genesis g, LedgerState loaded) {
        return new Ledger(g.chainId(), loaded, EvidenceVerifiers.standard(), AttestationVerifiers.standard());
    }

    public String chainId() {
        return chainId;
    }

    public LedgerState state() {
        return state;
    }

    public EvidenceVerifiers evidenceVerifiers() {
        return evidence;
    }

    /** Decodes and checks what needs no state: encoding, size, chain and signature. */
    public SignedTransaction decodeAndCheck(byte[] bytes) {
        Params p = state.params();
        if (bytes.length > p.maxTransactionBytes()) {
            throw new TransactionRejectedException(RejectCode.OVERSIZED,
                    "the transaction is " + bytes.length + " bytes, more than the limit of " + p.maxTransactionBytes());
        }
        SignedTransaction tx;
        try {
            tx = TransactionCodec.decode(bytes);
        } catch (DecodingException | IllegalArgumentException e) {
            throw new TransactionRejectedException(RejectCode.MALFORMED, "malformed transaction: " + e.getMessage());
        }
        checkStateless(tx);
        return tx;
    }

    public void checkStateless(SignedTransaction tx) {
        Params p = state.params();
        if (tx.size() > p.maxTransactionBytes()) {
            throw new TransactionRejectedException(RejectCode.OVERSIZED,
                    "the transaction is " + tx.size() + " bytes, more than the limit of " + p.maxTransactionBytes());
        }
        if (!chainId.equals(tx.body().chainId())) {
            throw new TransactionRejectedException(RejectCode.WRONG_CHAIN,
                    "the transaction is for chain '" + tx.body().chainId() + "', this is '" + chainId + "'");
        }
        if (!tx.signatureValid()) {
            throw new TransactionRejectedException(RejectCode.BAD_SIGNATURE,
                    "the signature does not verify against the sender key " + tx.body().sender().hex());
        }
    }

    /** Applies one transaction in a block; on refusal the state is unchanged. */
    public void apply(SignedTransaction tx, BlockContext ctx) {
        checkStateless(tx);
        applyChecked(tx, ctx, state.account(tx.body().sender()).nonce(), 0, false);
    }

    /**
     * Checks that a transaction would apply now, as its sender's {@code expectedNonce}-th
     * transaction (the mempool passes the next nonce after its pending ones), without changing
     * anything. The signature must already have been checked.
     *
     * @return how many base units it takes from the sender's balance, as {@link #dryRun(SignedTransaction,
     *         BlockContext, long, long, int)}
     */
    public long dryRun(SignedTransaction tx, BlockContext ctx, long expectedNonce) {
        return dryRun(tx, ctx, expectedNonce, 0, 0);
    }

    /**
     * Checks, without changing anything, that a transaction would apply now as its sender's
     * {@code expectedNonce}-th transaction after the sender's pending transactions have taken
     * {@code reserved} base units from its balance. The signature must already have been checked.
     *
     * <p>Inside the dry run the sender's balance is lowered by {@code reserved} before the transaction
     * is dispatched. A transaction that would apply on the balance as it is, but not on what the
     * pending transactions leave of it, is refused with {@link RejectCode#INSUFFICIENT_FUNDS} and a
     * message naming the amount they hold; any other refusal is the one the transaction meets on its own.
     *
     * @param reserved   base units that {@code pendingTransactions} pending transactions of the sender take from
     *                   its balance when they apply (their credits are not counted)
     * @param pendingTransactions how many pending transactions hold {@code reserved}; for the message only
     * @return how many base units the transaction takes from the sender's balance (the balance before it
     *         minus the balance after it; 0 when the balance does not go down), for example a transfer's
     *         amount, a job's max fee or a registration's stake
     */
    public long dryRun(SignedTransaction tx, BlockContext ctx, long expectedNonce, long reserved, int pendingTransactions) {
        if (reserved < 0) {
            throw new IllegalArgumentException("negative reserved amount " + reserved);
        }
        if (reserved == 0) {
            return applyChecked(tx, ctx, expectedNonce, 0, true);
        }
        try {
            return applyChecked(tx, ctx, expectedNonce, reserved, true);
        } catch (TransactionRejectedException e) {
            if (e.code() != RejectCode.INSUFFICIENT_FUNDS) {
                throw e;
            }
            // Refused with the pending transactions' share set aside: say so only when that share is
            // the reason, that is when the transaction applies on the balance as it is.
            long alone = applyChecked(tx, ctx, expectedNonce, 0, true);
            PublicKey sender = tx.body().sender();
            long balance = state.account(sender).balance();
            String held = reserved + " base units are already held by " + pendingTransactions + " pending transaction"
                    + (pendingTransactions == 1 ? "" : "s") + " of this account";
            throw new TransactionRejectedException(RejectCode.INSUFFICIENT_FUNDS, balance < reserved
                    ? "the balance of " + sender.hex() + " is " + balance + " base units, and " + held
                            + "; wait until they are in a block"
                    : "the transaction takes " + alone + " base units but only " + (balance - reserved) + " of the balance of "
                            + sender.hex() + " (" + balance + ") are free: " + held + "; wait until they are in a block");
        }
    }

    /** Applies or dry-runs the transaction; returns how much it took from the sender's balance. */
    private long applyChecked(SignedTransaction tx, BlockContext ctx, long expectedNonce, long reserved, boolean dryRun) {
        PublicKey sender = tx.body().sender();
        long nonce = tx.body().nonce();
        if (nonce != expectedNonce) {
            throw new TransactionRejectedException(RejectCode.BAD_NONCE, nonce < expectedNonce
                    ? "nonce " + nonce + " was already used by " + sender.hex() + " (a replay?); the next nonce is " + expectedNonce
                    : "nonce " + nonce + " is ahead: the next nonce of " + sender.hex() + " is " + expectedNonce);
        }
        // A validator of the set may send without ever having been funded (its stake is its standing): it must be able
        // to report an equivocation or leave. Anyone else needs an account first, so unknown keys cannot fill the state.
        if (!state.accounts.contains(sender) && !state.validatorSet().contains(sender)) {
            throw new TransactionRejectedException(RejectCode.INSUFFICIENT_FUNDS,
                    "account " + sender.hex() + " has never received funds; fund it first");
        }
        long debit;
        state.journal().begin();
        try {
            Account a = state.account(sender);
            if (a.balance() < reserved) {
                throw new TransactionRejectedException(RejectCode.INSUFFICIENT_FUNDS, "the balance of " + sender.hex() + " is "
                        + a.balance() + " base units, less than the " + reserved + " its pending transactions hold");
            }
            long before = a.balance() - reserved;
            state.accounts.put(sender, new Account(before, nonce + 1));
            dispatch(tx, sender, ctx);
            long after = state.account(sender).balance();
            debit = after < before ? before - after : 0;
        } catch (ArithmeticException e) {
            state.journal().rollback();
            throw new TransactionRejectedException(RejectCode.INVALID_AMOUNT, "amount out of range: " + e.getMessage());
        } catch (RuntimeException e) {
            state.journal().rollback();
            throw e;
        }
        if (dryRun) {
            state.journal().rollback();
        } else {
            state.journal().commit();
        }
        return debit;
    }

    private void dispatch(SignedTransaction tx, PublicKey sender, BlockContext ctx) {
        switch (tx.payload()) {
            case Payload.Transfer t -> TransferRules.transfer(state, sender, t);
            case Payload.RegisterNode r -> StakingRules.register(state, sender, r, ctx, evidence);
            case Payload.Bond b -> StakingRules.bond(state, sender, b);
            case Payload.Unbond u -> StakingRules.unbond(state, sender, u, ctx);
            case Payload.Withdraw w -> StakingRules.withdraw(state, sender, ctx);
            case Payload.Unjail u -> StakingRules.unjail(state, sender, ctx);
            case Payload.RegisterModel m -> ModelRules.register(state, sender, m, ctx);
            case Payload.RegisterEnclave r -> EnclaveRules.register(state, chainId, sender, r, ctx, attestations);
            case Payload.Govern g -> GovernanceRules.apply(state, chainId, g, ctx);
            case Payload.SubmitJob j -> JobRules.submit(state, sender, tx.hash(), j, ctx, evidence);
            case Payload.SubmitResult r -> JobRules.result(state, sender, r, ctx, evidence);
            case Payload.SubmitJobs b -> JobRules.submitBatch(state, sender, tx.hash(), b, ctx, evidence);
            case Payload.SubmitResults b -> JobRules.resultBatch(state, sender, b, ctx, evidence);
            case Payload.RegisterProgram r -> ProvableRules.registerProgram(state, sender, r, ctx);
            case Payload.Challenge c -> DisputeRules.challenge(state, sender, c, ctx);
            case Payload.DisputeMove m -> DisputeRules.move(state, sender, m, ctx);
            case Payload.ProveStep s -> DisputeRules.proveStep(state, sender, s, ctx);
            case Payload.AuditReport a -> AuditRules.report(state, sender, a, ctx);
            case Payload.SubmitFailure f -> FailureRules.fail(state, sender, f, ctx);
            case Payload.SetCapacity c -> StakingRules.setCapacity(state, sender, c);
            case Payload.ValidatorBond b -> ValidatorRules.bond(state, sender, b, ctx);
            case Payload.ValidatorLeave l -> ValidatorRules.leave(state, sender, ctx);
            case Payload.ReportEquivocation r -> ValidatorRules.reportEquivocation(state, chainId, sender, r, ctx);
            case Payload.SetNodeEndpoint n -> StakingRules.setEndpoint(state, sender, n);
        }
    }

    /** Block-end work: deadlines, then assignment. Records the height. */
    public void endBlock(BlockContext ctx) {
        state.setGlobal(LedgerState.GLOBAL_HEIGHT, ctx.height());
        BlockEndRules.endBlock(state, ctx);
        JobRetirement.retireFinished(state);
    }
}
