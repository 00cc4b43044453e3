package dev.verity.ledger.rules;

import static dev.verity.ledger.rules.Rejections.reject;
import static dev.verity.ledger.rules.Rejections.require;

import dev.verity.core.Amounts;
import dev.verity.core.Hash;
import dev.verity.core.PublicKey;
import dev.verity.core.Sha256;
import dev.verity.ledger.BlockContext;
import dev.verity.ledger.RejectCode;
import dev.verity.ledger.TransactionRejectedException;
import dev.verity.ledger.event.EventType;
import dev.verity.ledger.event.LedgerEvent;
import dev.verity.ledger.evidence.EvidenceContext;
import dev.verity.ledger.evidence.EvidenceVerifiers;
import dev.verity.ledger.evidence.TeeBatchStatement;
import dev.verity.ledger.evidence.TeeEvidenceVerifier;
import dev.verity.ledger.evidence.TeeResultStatement;
import dev.verity.ledger.state.JobRecord;
import dev.verity.ledger.state.JobStatus;
import dev.verity.ledger.state.LedgerState;
import dev.verity.ledger.state.ModelRecord;
import dev.verity.ledger.state.NodeRecord;
import dev.verity.ledger.state.QueueKey;
import dev.verity.proofs.trace.TraceClaim;
import dev.verity.protocol.Params;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.schema.InputSchema;
import dev.verity.protocol.tx.Payload;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Job submission and results: escrow, verification and settlement. */
public final class JobRules {
    static final int MAX_FALLBACK_MODES = 4;

    private JobRules() {}

    public static void submit(LedgerState state, PublicKey sender, Hash jobId, Payload.SubmitJob j, BlockContext ctx,
                              EvidenceVerifiers verifiers) {
        Params p = state.params();
        ModelRecord model = state.models.get(j.model());
        if (model == null) {
            throw reject(RejectCode.UNKNOWN_MODEL, "model " + j.model().hex() + " is not registered");
        }
        require(j.input().length <= p.maxInputBytes(), RejectCode.OVERSIZED,
                "the input is " + j.input().length + " bytes, more than the limit of " + p.maxInputBytes());
        String inputProblem = model.inputSchema().problem(j.input());
        require(inputProblem == null, RejectCode.INVALID_INPUT, "input refused by model " + model.name() + "'s schema: " + inputProblem);
        require(verifiers.supports(j.mode()), RejectCode.MODE_NOT_SUPPORTED, "verification mode " + j.mode() + " is not enabled on this chain");
        require(j.fallbackModes().size() <= MAX_FALLBACK_MODES, RejectCode.MALFORMED,
                "at most " + MAX_FALLBACK_MODES + " fallback modes");
        TreeSet<VerificationMode> seen = new TreeSet<>();
        seen.add(j.mode());
        for (VerificationMode m : j.fallbackModes()) {
            require(verifiers.supports(m), RejectCode.MODE_NOT_SUPPORTED, "fallback mode " + m + " is not enabled on this chain");
            require(seen.add(m), RejectCode.MALFORMED, "mode " + m + " appears twice among the mode and its fallbacks");
        }
        require(j.deadlineBlocks() >= p.minDeadlineBlocks() && j.deadlineBlocks() <= p.maxDeadlineBlocks(),
                RejectCode.INVALID_DEADLINE, "the deadline must be " + p.minDeadlineBlocks() + " to " + p.maxDeadlineBlocks()
                        + " blocks, got " + j.deadlineBlocks());
        if (state.jobs.contains(jobId)) {
            throw reject(RejectCode.MALFORMED, "job " + jobId.hex() + " already exists");
        }
        ProvableRules.requireServable(state, model, j.mode());
        for (VerificationMode m : j.fallbackModes()) {
            ProvableRules.requireServable(state, model, m);
        }
        long basePrice = FeeMarket.basePrice(state);
        long units = JobUnits.reserved(model, j.input());
        long least = Pricing.minCharge(p, units, j.mode(), basePrice);
        require(j.maxFee() >= least, RejectCode.FEE_TOO_LOW,
                "a " + j.mode() + " job on this model costs " + least + " base units at the base price of " + basePrice
                        + " per 10^15 compute units"
                        + (j.mode() == VerificationMode.SAMPLED ? " (its fee, and the auditor's fee in case it is audited)" : "")
                        + "; the max fee " + j.maxFee() + " is below it");
        long fee = Pricing.cappedFee(p, units, j.mode(), basePrice, j.tip(), j.maxFee());
        Balances.debit(state, sender, j.maxFee(), "escrowing the max fee");
        FeeMarket.recordDemand(state, units);
        Hash inputHash = Sha256.digest(j.input());
        JobRecord job = new JobRecord(jobId, sender, j.model(), inputHash, j.mode(), j.fallbackModes(), j.maxFee(),
                fee, basePrice, j.tip(),
                j.deadlineBlocks(), JobStatus.QUEUED, null, 0, 0, 0, List.of(), ctx.height(), ctx.height(), null, 0);
        state.jobs.put(jobId, job);
        state.jobInputs.put(jobId, j.input());
        enqueue(state, job);
        state.emit(LedgerEvent.of(EventType.JOB_SUBMITTED, jobId, null, sender, j.maxFee(),
                "max fee escrowed for a " + j.mode() + " job on model " + model.name()).withMode(j.mode()));
    }

    /** Queues a job behind those with a higher tip and, among equal tips, those queued before it. */
    static void enqueue(LedgerState state, JobRecord job) {
        long seq = state.global(LedgerState.GLOBAL_NEXT_QUEUE_SEQ);
        state.queue.put(new QueueKey(job.tip(), seq), job.id());
        state.setGlobal(LedgerState.GLOBAL_NEXT_QUEUE_SEQ, seq + 1);
    }

    /** Each job of the batch, in order, as {@link #submit} with its batch job id; all or nothing. */
    public static void submitBatch(LedgerState state, PublicKey sender, Hash txHash, Payload.SubmitJobs b, BlockContext ctx,
                                   EvidenceVerifiers verifiers) {
        require(!b.jobs().isEmpty(), RejectCode.MALFORMED, "a job batch holds at least one job");
        for (int i = 0; i < b.jobs().size(); i++) {
            try {
                submit(state, sender, Payload.SubmitJobs.jobId(txHash, i), b.jobs().get(i), ctx, verifiers);
            } catch (TransactionRejectedException e) {
                throw inBatch("job", i, e);
            }
        }
    }

    /**
     * Each result of the batch, in order, as {@link #result}; the TEE results are covered by one enclave signature
     * over the root of their statements ({@link TeeBatchStatement}), checked once. All or nothing.
     */
    public static void resultBatch(LedgerState state, PublicKey sender, Payload.SubmitResults b, BlockContext ctx,
                                   EvidenceVerifiers verifiers) {
        require(!b.results().isEmpty(), RejectCode.MALFORMED, "a result batch holds at least one result");
        NodeRecord node = StakingRules.node(state, sender);
        List<TeeResultStatement> statements = new ArrayList<>();
        List<Answer> answers = new ArrayList<>(b.results().size());
        TreeSet<Hash> seen = new TreeSet<>();
        for (int i = 0; i < b.results().size(); i++) {
            Payload.SubmitResult r = b.results().get(i);
            if (!seen.add(r.jobId())) {
                throw reject(RejectCode.MALFORMED, "result " + i + " of the batch repeats job " + r.jobId().hex());
            }
            try {
                Answer a = answer(state, sender, r, ctx);
                if (a.job().mode() == VerificationMode.TEE) {
                    require(a.evidence().length == 0, RejectCode.MALFORMED,
                            "a TEE result in a batch carries no evidence of its own; the batch signature covers it");
                    statements.add(new TeeResultStatement(a.job().id(), a.job().model(), a.job().inputHash(), a.outputHash()));
                }
                answers.add(a);
            } catch (TransactionRejectedException e) {
                throw inBatch("result", i, e);
            }
        }
        if (statements.isEmpty()) {
            require(b.teeBatchSignature().length == 0, RejectCode.MALFORMED,
                    "the batch has no TEE result, so it carries no TEE batch signature");
        } else {
            TeeEvidenceVerifier.verifyEnclaveSignature(state, node, TeeBatchStatement.of(statements).signingBytes(),
                    b.teeBatchSignature(), "the root of this batch's " + statements.size() + " TEE result statements");
        }
        for (int i = 0; i < answers.size(); i++) {
            Answer a = answers.get(i);
            try {
                if (a.job().mode() != VerificationMode.TEE) {
                    verify(state, node, a, verifiers);
                }
                post(state, node, a, ctx);
            } catch (TransactionRejectedException e) {
                throw inBatch("result", i, e);
            }
        }
    }

    private static TransactionRejectedException inBatch(String item, int index, TransactionRejectedException e) {
        return new TransactionRejectedException(e.code(), item + " " + index + " of the batch: " + e.getMessage());
    }

    /** A result's job, output and evidence, read (and the output hashed) once. */
    private record Answer(JobRecord job, byte[] output, byte[] evidence, Hash outputHash) {}

    /** The answer to a job, after the checks that need no evidence: assignment, deadline and sizes. */
    private static Answer answer(LedgerState state, PublicKey sender, Payload.SubmitResult r, BlockContext ctx) {
        Params p = state.params();
        JobRecord job = answerable(state, sender, r.jobId(), ctx);
        byte[] output = r.output();
        byte[] evidence = r.evidence();
        if (output.length > p.maxOutputBytes()) {
            throw reject(RejectCode.OVERSIZED, "the output is " + output.length + " bytes, more than the limit of "
                    + p.maxOutputBytes());
        }
        if (evidence.length > p.maxEvidenceBytes()) {
            throw reject(RejectCode.OVERSIZED, "the evidence is " + evidence.length + " bytes, more than the limit of "
                    + p.maxEvidenceBytes());
        }
        ModelRecord model = state.models.get(job.model());
        if (model.inputSchema() instanceof InputSchema.TokenGeneration) {
            String problem = JobUnits.outputProblem(model, state.jobInputs.get(job.id()), output);
            if (problem != null) {
                throw reject(RejectCode.INVALID_OUTPUT, "the output does not answer job " + job.id().hex() + ": " + problem);
            }
        }
        return new Answer(job, output, evidence, Sha256.digest(output));
    }

    private static void verify(LedgerState state, NodeRecord node, Answer a, EvidenceVerifiers verifiers) {
        verifiers.forMode(a.job().mode()).verify(new EvidenceContext(a.job(), node, a.outputHash(), a.evidence(), state));
    }

    public static void result(LedgerState state, PublicKey sender, Payload.SubmitResult r, BlockContext ctx,
                              EvidenceVerifiers verifiers) {
        Answer a = answer(state, sender, r, ctx);
        NodeRecord node = StakingRules.node(state, sender);
        verify(state, node, a, verifiers);
        post(state, node, a, ctx);
    }

    /** Records a verified result: settles it, or opens its window in a provable mode. */
    private static void post(LedgerState state, NodeRecord node, Answer a, BlockContext ctx) {
        JobRecord job = a.job();
        PublicKey sender = node.id();
        Hash outputHash = a.outputHash();
        state.emit(LedgerEvent.of(EventType.RESULT_POSTED, job.id(), sender, job.client(), 0,
                job.mode() + " result with output " + outputHash.hex()).withMode(job.mode()));
        state.jobOutputs.put(job.id(), a.output());
        Assignments.close(state, job);
        if (ProvableRules.isProvable(job.mode())) {
            ProvableRules.resultPosted(state, job, node.id(), TraceClaim.decode(a.evidence()).root(), outputHash, ctx);
        } else {
            settle(state, job.settled(outputHash, ctx.height()), node.id(), 0, ctx);
        }
    }

    /** The job {@code jobId}, which must be assigned to {@code sender} and still open for its answer. */
    static JobRecord answerable(LedgerState state, PublicKey sender, Hash jobId, BlockContext ctx) {
        JobRecord job = state.jobs.get(jobId);
        if (job == null) {
            throw reject(RejectCode.UNKNOWN_JOB, "job " + jobId.hex() + " is not live: it never existed, or it finished and left the live state");
        }
        // Messages are built only on refusal: this runs for every result.
        if (job.status() != JobStatus.ASSIGNED) {
            throw reject(RejectCode.JOB_NOT_OPEN, "job " + job.id().hex() + " is " + job.status() + "; it takes no result now");
        }
        if (!sender.equals(job.assignedNode())) {
            throw reject(RejectCode.NOT_ASSIGNED, "job " + job.id().hex() + " is assigned to node " + job.assignedNode().hex()
                    + ", not to " + sender.hex());
        }
        if (ctx.height() > job.deadlineHeight()) {
            throw reject(RejectCode.JOB_NOT_OPEN, "the result deadline of job " + job.id().hex() + " was height "
                    + job.deadlineHeight());
        }
        return job;
    }

    /** Pays the fee of the settled output out ({@link #pay}, {@link #chargedFor}) and records the job settled. */
    static void settle(LedgerState state, JobRecord settled, PublicKey payee, long alreadyCharged, BlockContext ctx) {
        JobRecord job = chargedFor(state, settled, state.jobOutputs.get(settled.id()));
        pay(state, job, payee, alreadyCharged, ctx);
        state.emit(LedgerEvent.of(EventType.JOB_SETTLED, job.id(), payee, job.client(), job.fee(), job.mode() + " job settled")
                .withMode(job.mode()));
    }

    /**
     * The job with its fee lowered to what {@code output} used (null: no output), for a model priced per token
     * ({@link JobUnits#used}); other jobs are returned as they are. The fee never rises above the one escrowed for.
     */
    static JobRecord chargedFor(LedgerState state, JobRecord job, byte[] output) {
        ModelRecord model = state.models.get(job.model());
        if (!(model.inputSchema() instanceof InputSchema.TokenGeneration)) {
            return job;
        }
        long units = JobUnits.used(model, state.jobInputs.get(job.id()), output);
        long fee = Pricing.cappedFee(state.params(), units, job.mode(), job.basePrice(), job.tip(), job.maxFee());
        return fee < job.fee() ? job.withFee(fee) : job;
    }

    /**
     * Pays the fee out by the chain's shares (the payee, normally the node that answered, gets the rounding
     * remainder) and refunds the escrow that neither the fee nor {@code alreadyCharged} (an auditor's fee) used.
     */
    static void pay(LedgerState state, JobRecord job, PublicKey payee, long alreadyCharged, BlockContext ctx) {
        Params p = state.params();
        long fee = job.fee();
        long toValidator = Amounts.basisPoints(fee, p.validatorShareBps());
        long toTreasury = Amounts.basisPoints(fee, p.treasuryShareBps());
        long toNode = fee - toValidator - toTreasury;
        long refund = job.maxFee() - fee - alreadyCharged;
        Balances.credit(state, payee, toNode);
        Balances.credit(state, ctx.producer(), toValidator);
        Balances.creditTreasury(state, toTreasury);
        Balances.credit(state, job.client(), refund);
        NodeRecord node = state.nodes.get(payee);
        if (node != null) {
            state.nodes.put(payee, node.paid(toNode));
        }
        state.jobs.put(job.id(), job);
        String id = job.id().hex();
        state.emit(LedgerEvent.of(EventType.NODE_PAID, job.id(), payee, payee, toNode,
                "node share (" + p.nodeShareBps() + " bps of fee " + fee + ") for job " + id).withMode(job.mode()));
        state.emit(LedgerEvent.of(EventType.VALIDATOR_PAID, job.id(), null, ctx.producer(), toValidator,
                "validator share (" + p.validatorShareBps() + " bps) for including the result of job " + id));
        state.emit(LedgerEvent.of(EventType.TREASURY_PAID, job.id(), null, null, toTreasury,
                "treasury share (" + p.treasuryShareBps() + " bps) of job " + id));
        if (refund > 0) {
            state.emit(LedgerEvent.of(EventType.CLIENT_REFUNDED, job.id(), null, job.client(), refund,
                    "unused escrow: max fee " + job.maxFee() + " minus fee " + fee
                            + (alreadyCharged > 0 ? " minus audit fee " + alreadyCharged : "")));
        }
    }
}
