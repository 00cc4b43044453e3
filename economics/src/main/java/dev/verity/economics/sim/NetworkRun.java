package dev.verity.economics.sim;

import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.core.PublicKey;
import dev.verity.ledger.Genesis;
import dev.verity.ledger.TransactionRejectedException;
import dev.verity.ledger.event.LedgerEvent;
import dev.verity.ledger.rules.FeeMarket;
import dev.verity.ledger.rules.StakingRules;
import dev.verity.ledger.state.JobRecord;
import dev.verity.ledger.state.LedgerState;
import dev.verity.ledger.state.NodeRecord;
import dev.verity.ledger.state.NodeStatus;
import dev.verity.ledger.state.ResultClaim;
import dev.verity.proofs.attestation.TeeType;
import dev.verity.protocol.Params;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.governance.GovernanceAction;
import dev.verity.protocol.governance.RevocationTarget;
import dev.verity.protocol.schema.InputSchema;
import dev.verity.protocol.tx.Hardware;
import dev.verity.protocol.tx.Payload;
import dev.verity.protocol.tx.SignedTransaction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

/**
 * One simulated run: the real ledger, block by block, with simulated clients and compute nodes around it. Each
 * block applies, in this order, the scenario's governance transaction, the nodes' staking transactions (unjail,
 * unbond, withdraw), the results and audit reports finished during the block, and the jobs clients sent during
 * it; then the block ends (deadlines, verification timers, assignment, the fee market) and its events drive the
 * nodes and the statistics. Results, audit reports and jobs are signed ahead on the {@link Signer} ({@link Outbox},
 * {@link JobSends}); the ledger applies them in the same order.
 */
final class NetworkRun {
    static final long HOUR_MS = 3_600_000L;
    /** Stake of an H100-class node; others stake in proportion to their throughput (never below the chain's minimum). */
    static final long H100_STAKE = 10_000 * SimChain.VRT;
    /** What each node holds beyond its stake, to top its stake up after penalties. */
    static final long NODE_RESERVE = 10_000 * SimChain.VRT;

    private final SimulationConfig config;
    private final Scenario scenario;
    private final Scenario.Run run;
    private final SimProgram program;
    private final SimChain chain;
    private final Clients clients;
    private final List<ComputeNode> nodes = new ArrayList<>();
    private final HashMap<PublicKey, ComputeNode> byKey = new HashMap<>(); // looked up, never iterated
    private final HashMap<Hash, JobInfo> jobs = new HashMap<>();
    private final Signer signer = new Signer(SimChain.CHAIN_ID);
    private final Outbox outbox;
    private final List<HourStats> hours = new ArrayList<>();
    private final List<RunResult.DaySummary> days = new ArrayList<>();
    private final List<RunResult.NodeDay> nodeDays = new ArrayList<>();
    private final List<RunResult.Exit> exits = new ArrayList<>();
    private final IntConsumer dayDone;
    private final long blockMillis;
    private final long revocationBlock;
    private HourStats hour = new HourStats(0);
    private JobSends.Block demand;
    private double tokenPrice;
    private long arrivals;
    private long refusedByLedger;
    private long resultsRefused;
    private long jobBatches;
    private long jobsInBatches;
    private long resultBatches;
    private long resultsInBatches;
    private double firstTokenPrice = Double.NaN;

    /** What the simulation remembers of a job until it is final: when it arrived, the mode asked, its input. */
    private record JobInfo(long arrivalMs, VerificationMode requested, int input) {}

    NetworkRun(SimulationConfig config, Scenario.Run run, SimProgram program, IntConsumer dayDone) {
        this.config = config;
        this.scenario = config.scenario();
        this.run = run;
        this.program = program;
        this.dayDone = dayDone;
        this.blockMillis = config.blockSeconds() * 1000L;
        double revokeDay = scenario.revocationDay();
        this.revocationBlock = revokeDay < 0 ? -1 : Math.max(2, (long) Math.ceil(revokeDay * 86_400 / config.blockSeconds()));
        SplittableRandom random = new SplittableRandom(config.seed());
        Params params = SimChain.params(config.targetComputeUnitsPerBlock());
        this.clients = new Clients(config, run, random, params.initialBasePrice());
        int index = 0;
        for (SimulationConfig.NodeGroup g : config.fleet()) {
            for (int i = 0; i < g.count(); i++) {
                long stake = Math.max(params.minStake(), Math.round(H100_STAKE * g.gpu().relativeThroughput().value()));
                ComputeNode n = new ComputeNode(index++, g.gpu(), g.enclave(), stake,
                        new OperatorCosts(g.gpu(), config.usdPerKwh(), config.rentalUtilization()), config.days());
                nodes.add(n);
                byKey.put(n.id(), n);
            }
        }
        List<Genesis.Allocation> funded = new ArrayList<>(clients.allocations());
        for (ComputeNode n : nodes) {
            funded.add(new Genesis.Allocation(n.id(), n.stake + NODE_RESERVE));
        }
        this.chain = new SimChain(params, funded, blockMillis);
        this.outbox = new Outbox(program, signer, nodes.size());
    }

    RunResult execute() {
        try (signer) {
            for (long h = 1; h <= config.blocks(); h++) {
                block(h);
            }
        }
        return new RunResult(run, hours, days, nodeDays, exits, totals());
    }

    private LedgerState state() {
        return chain.state();
    }

    private void block(long h) {
        chain.open(h);
        long endMs = h * blockMillis;
        long startMs = endMs - blockMillis;
        double day = startMs / (double) OperatorAccount.DAY_MS;
        tokenPrice = scenario.tokenPrice(day, config.tokenPriceUsd());
        if (Double.isNaN(firstTokenPrice)) {
            firstTokenPrice = tokenPrice;
        }
        hour.block(FeeMarket.basePrice(state()), tokenPrice);
        if (h == 1) {
            setUp();
            demand = prepareJobs(1);
        }
        if (h == revocationBlock) {
            revokeTeeVendor();
        }
        stakingDuties(h);
        sendCompletions(h);
        sendJobs(demand);
        List<LedgerEvent> events = chain.close();
        if (h < config.blocks()) {
            demand = prepareJobs(h + 1); // signed while this block's events are worked out
        }
        for (LedgerEvent e : events) {
            handle(e, endMs);
        }
        for (ComputeNode n : nodes) {
            n.advance(endMs + blockMillis, blockMillis, state(), c -> outbox.add(c, chain::nonce));
        }
        hour.queue(state().queue.count() + state().deadlines.count());
        if (endMs % HOUR_MS == 0) {
            closeHour();
        }
        if (endMs % OperatorAccount.DAY_MS == 0) {
            closeDay((int) (endMs / OperatorAccount.DAY_MS) - 1);
        }
    }

    // ------------------------------------------------------------------------------------------ transactions

    /** Block 1: the model and its program, every node, every enclave with its attestation. */
    private void setUp() {
        chain.submit(chain.modelOwner, new Payload.RegisterModel(SimProgram.MODEL, "simulated int8 MLP",
                "16 float32", "4 float32", config.computeUnitsPerJob(),
                new InputSchema.Float32Tensor(List.of(SimProgram.INPUT_FEATURES), Float.floatToIntBits(-Float.MAX_VALUE),
                        Float.floatToIntBits(Float.MAX_VALUE))));
        var c = program.commitment();
        chain.submit(chain.modelOwner, new Payload.RegisterProgram(SimProgram.MODEL, c.root(), c.leafCount(), c.stepCount()));
        for (ComputeNode n : nodes) {
            List<VerificationMode> modes = new ArrayList<>(List.of(VerificationMode.NONE));
            if (n.enclave != null) {
                modes.add(VerificationMode.TEE);
            }
            modes.addAll(List.of(VerificationMode.OPTIMISTIC, VerificationMode.SAMPLED, VerificationMode.ZK));
            chain.submit(n.key, new Payload.RegisterNode(n.stake, List.of(SimProgram.MODEL), modes,
                    new Hardware(n.gpu.id(), 1, "AMD EPYC", 16), StakingRules.MAX_CAPACITY)); // throughput is simulated here
            if (n.enclave != null) {
                chain.submit(n.key, new Payload.RegisterEnclave(n.enclave.publicKey(),
                        SimChain.attestation(n.enclave.publicKey(), n.id())));
            }
        }
    }

    /** The council revokes the TEE vendor: a real proposal, approved by two of the three members. */
    private void revokeTeeVendor() {
        long number = state().global(LedgerState.GLOBAL_NEXT_PROPOSAL);
        chain.submit(chain.council.get(0), chain.proposal(number, new GovernanceAction.Revoke(
                new RevocationTarget.Vendor(TeeType.SEV_SNP), "simulated compromise: the vendor's attestation keys leaked")));
    }

    /** Jailed nodes unjail when they may (topping their stake up first), leaving operators unbond and withdraw. */
    private void stakingDuties(long h) {
        for (ComputeNode n : nodes) {
            boolean due = n.exited() ? n.withdrawAt < 0 || n.withdrawAt > 0 && h >= n.withdrawAt : n.unjailAt >= 0 && h >= n.unjailAt;
            if (!due) {
                continue;
            }
            Params p = state().params();
            NodeRecord rec = state().nodes.get(n.id());
            if (n.exited()) {
                if (n.withdrawAt < 0 && rec.stake() > 0) {
                    trySubmit(n.key, new Payload.Unbond(rec.stake()));
                    n.withdrawAt = h + p.unbondingBlocks();
                } else if (n.withdrawAt > 0 && h >= n.withdrawAt) {
                    trySubmit(n.key, new Payload.Withdraw());
                    n.withdrawAt = 0;
                }
                continue;
            }
            if (n.unjailAt >= 0 && h >= n.unjailAt && rec.status() == NodeStatus.JAILED) {
                long shortfall = p.minStake() - rec.stake();
                if (shortfall > 0) {
                    trySubmit(n.key, new Payload.Bond(shortfall));
                }
                trySubmit(n.key, new Payload.Unjail());
                n.unjailAt = -1;
            }
        }
    }

    private boolean trySubmit(PrivateKey key, Payload payload) {
        try {
            chain.submit(key, payload);
            return true;
        } catch (TransactionRejectedException e) {
            return false;
        }
    }

    /** Results and audit reports finished during block {@code h}, in the order they finished. */
    private void sendCompletions(long h) {
        for (Outbox.Send s : outbox.due(h)) {
            try {
                chain.submit(s.node.key, s.tx.signed());
                s.items.forEach(this::sent);
                if (s.items.size() > 1) {
                    resultBatches++;
                    resultsInBatches += s.items.size();
                }
            } catch (TransactionRejectedException e) {
                if (s.items.size() == 1) {
                    resultsRefused++;
                    continue;
                }
                for (ComputeNode.Completion c : s.items) { // the batch failed whole: each result alone
                    if (trySubmit(c.node().key, outbox.single(c))) {
                        sent(c);
                    } else {
                        resultsRefused++;
                    }
                }
            }
        }
    }

    private void sent(ComputeNode.Completion c) {
        if (c.item().kind() == ComputeNode.Kind.AUDIT) {
            c.node().account.auditSent(c.finishMs());
        } else {
            c.node().account.resultSent(c.finishMs());
        }
    }

    /** Block {@code h}'s client jobs, signed from now on; called once the block before has ended. */
    private JobSends.Block prepareJobs(long h) {
        long startMs = (h - 1) * blockMillis;
        double day = startMs / (double) OperatorAccount.DAY_MS;
        return JobSends.prepare(h, clients.arrivals(startMs, blockMillis, scenario.demandMultiplier(day)), clients, program,
                state(), signer, chain::nonce);
    }

    /** The jobs clients send during the block; a client whose limit is below the base price is priced out. */
    private void sendJobs(JobSends.Block b) {
        arrivals += b.arrivals();
        for (Clients.Arrival a : b.pricedOut()) {
            hour.refused[a.mode().ordinal()]++;
            hour.pricedOut++;
        }
        for (JobSends.Tx t : b.txs()) {
            try {
                SignedTransaction tx = chain.submit(t.sender(), t.pending().signed());
                if (t.jobs().size() > 1) {
                    jobBatches++;
                    jobsInBatches += t.jobs().size();
                }
                for (int i = 0; i < t.jobs().size(); i++) {
                    submitted(t.jobId(tx, i), t.jobs().get(i).arrival());
                }
            } catch (TransactionRejectedException e) {
                if (t.jobs().size() == 1) {
                    refused(t.jobs().getFirst().arrival());
                    continue;
                }
                for (JobSends.Job j : t.jobs()) { // the batch failed whole: each job alone
                    try {
                        submitted(chain.submit(t.sender(), j.payload()).hash(), j.arrival());
                    } catch (TransactionRejectedException alone) {
                        refused(j.arrival());
                    }
                }
            }
        }
    }

    private void submitted(Hash job, Clients.Arrival a) {
        jobs.put(job, new JobInfo(a.atMs(), a.mode(), a.input()));
        hour.submitted[a.mode().ordinal()]++;
    }

    private void refused(Clients.Arrival a) {
        hour.refused[a.mode().ordinal()]++;
        refusedByLedger++;
    }

    // ------------------------------------------------------------------------------------------ events

    private void handle(LedgerEvent e, long atMs) {
        switch (e.type()) {
            case JOB_ASSIGNED -> {
                ComputeNode n = byKey.get(e.node());
                JobRecord job = state().jobs.get(e.job());
                JobInfo info = jobs.get(e.job());
                n.assign(new ComputeNode.WorkItem(ComputeNode.Kind.RESULT, e.job(), job.mode(), info.input(),
                        job.assignedAt(), job.deadlineHeight(), atMs, serviceMs(n, job.mode()), null));
            }
            case AUDIT_ASSIGNED -> {
                ComputeNode n = byKey.get(e.node());
                ResultClaim claim = state().claims.get(e.job());
                JobInfo info = jobs.get(e.job());
                n.assign(new ComputeNode.WorkItem(ComputeNode.Kind.AUDIT, e.job(), VerificationMode.SAMPLED, info.input(),
                        claim.postedAt(), claim.phaseEnds(), atMs, serviceMs(n, VerificationMode.SAMPLED), claim.node()));
            }
            case JOB_SETTLED -> {
                JobInfo info = jobs.remove(e.job());
                hour.settled[e.mode().ordinal()]++;
                hour.fees[e.mode().ordinal()] += e.amount();
                hour.settledAfter((atMs - info.arrivalMs()) / 1000.0);
            }
            case JOB_EXPIRED -> {
                jobs.remove(e.job());
                hour.expired++;
            }
            case JOB_CANCELLED -> {
                jobs.remove(e.job());
                hour.cancelled++;
            }
            case MODE_FALLBACK -> hour.fallbacks++;
            case JOB_MOVED -> hour.moved++;
            case DEADLINE_MISSED -> hour.missedDeadlines++;
            case NODE_PAID, AUDITOR_PAID, DISPUTE_REWARD -> {
                ComputeNode n = byKey.get(e.account());
                if (n != null) {
                    n.account.earn(atMs, e.amount(), tokenPrice);
                }
            }
            case NODE_PENALIZED, NODE_SLASHED -> {
                ComputeNode n = byKey.get(e.account());
                if (n != null) {
                    n.account.lose(atMs, e.amount(), tokenPrice);
                }
            }
            case NODE_JAILED -> {
                ComputeNode n = byKey.get(e.node());
                n.unjailAt = state().nodes.get(n.id()).jailedUntil();
                hour.jailed++;
            }
            default -> { }
        }
    }

    private long serviceMs(ComputeNode n, VerificationMode mode) {
        double seconds = config.computeUnitsPerJob() / Gpus.computeUnitsPerSecond(n.gpu);
        if (mode == VerificationMode.ZK) {
            seconds *= config.zkCostMultiple();
        }
        return Math.max(1, Math.round(seconds * 1000));
    }

    // ------------------------------------------------------------------------------------------ hours and days

    private void closeHour() {
        hour.activeNodes = activeNodes();
        hours.add(hour);
        hour = new HourStats(hour.hour + 1);
    }

    private int activeNodes() {
        long min = state().params().minStake();
        int active = 0;
        for (NodeRecord r : state().nodes.values()) {
            if (r.status() == NodeStatus.ACTIVE && r.stake() >= min) {
                active++;
            }
        }
        return active;
    }

    /** Each operator's day in USD; in operator-exit, those below their rental alternative long enough leave. */
    private void closeDay(int d) {
        int k = scenario.exitAfterDays();
        int serving = 0;
        double net = 0;
        double rental = 0;
        double vrt = 0;
        for (ComputeNode n : nodes) {
            boolean served = !n.exited() || n.exitDay >= d;
            OperatorAccount a = n.account;
            double u = a.utilization(d);
            double power = n.costs.powerUsdPerDay(u);
            double depreciation = n.costs.depreciationUsdPerDay();
            double nodeNet = a.revenueUsd(d) - power - depreciation;
            double nodeRental = n.costs.rentalNetUsdPerDay();
            nodeDays.add(new RunResult.NodeDay(d, n.name, n.gpu.id(), n.enclave != null, served ? "serving" : "left",
                    a.results(d), a.audits(d), u, a.earned(d), a.penalized(d), a.revenueUsd(d), power, depreciation,
                    nodeNet, nodeRental));
            if (!served) {
                continue;
            }
            serving++;
            net += nodeNet;
            rental += nodeRental;
            vrt += (a.earned(d) - a.penalized(d)) / (double) SimChain.VRT;
            if (k > 0 && !n.exited()) {
                n.daysBelowRental = nodeNet < nodeRental ? n.daysBelowRental + 1 : 0;
                if (n.daysBelowRental >= k) {
                    n.exitDay = d;
                    exits.add(exitOf(n, d, k));
                }
            }
        }
        days.add(new RunResult.DaySummary(d, serving, serving == 0 ? Double.NaN : net / serving,
                serving == 0 ? Double.NaN : rental / serving, serving == 0 ? Double.NaN : vrt / serving));
        dayDone.accept(d);
    }

    private RunResult.Exit exitOf(ComputeNode n, int d, int k) {
        double net = 0;
        for (int i = d - k + 1; i <= d; i++) {
            double u = n.account.utilization(i);
            net += n.account.revenueUsd(i) - n.costs.powerUsdPerDay(u) - n.costs.depreciationUsdPerDay();
        }
        return new RunResult.Exit(d, n.name, n.gpu.id(), net / k, n.costs.rentalNetUsdPerDay(), k);
    }

    private RunResult.Totals totals() {
        long[] settled = new long[HourStats.MODES];
        long[] fees = new long[HourStats.MODES];
        long submitted = 0, pricedOut = 0, expired = 0, cancelled = 0, fallbacks = 0, moved = 0, missed = 0, jailings = 0;
        for (HourStats s : hours) {
            for (int m = 0; m < HourStats.MODES; m++) {
                settled[m] += s.settled[m];
                fees[m] += s.fees[m];
            }
            submitted += s.submittedTotal();
            pricedOut += s.pricedOut;
            expired += s.expired;
            cancelled += s.cancelled;
            fallbacks += s.fallbacks;
            moved += s.moved;
            missed += s.missedDeadlines;
            jailings += s.jailed;
        }
        long skipped = nodes.stream().mapToLong(n -> n.skipped).sum();
        return new RunResult.Totals(arrivals, submitted, pricedOut, refusedByLedger, settled, fees, expired, cancelled,
                fallbacks, moved, missed, jailings, resultsRefused, skipped, firstTokenPrice, tokenPrice,
                FeeMarket.basePrice(state()), new RunResult.Transactions(chain.applied(), jobBatches, jobsInBatches,
                resultBatches, resultsInBatches));
    }
}
