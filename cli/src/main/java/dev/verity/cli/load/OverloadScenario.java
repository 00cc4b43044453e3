package dev.verity.cli.load;

import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.modelhub.hub.PackageRunner;
import dev.verity.modelhub.train.Digits;
import dev.verity.protocol.Params;
import dev.verity.protocol.VerificationMode;
import dev.verity.sdk.EventQuery;
import dev.verity.sdk.JobQuery;
import dev.verity.sdk.KeyFiles;
import dev.verity.sdk.VerityApiException;
import dev.verity.sdk.VerityClient;
import dev.verity.sdk.Wallet;
import dev.verity.sdk.api.EventView;
import dev.verity.sdk.api.NodeView;
import dev.verity.sdk.api.TransactionReceipt;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Clients that ask a running network for more than it can do: for {@code sustain} they keep {@code factor} times
 * the network's declared capacity (the sum of its assignable nodes' capacities) in flight, then send a burst of
 * {@code burst} jobs at once, then wait until every acknowledged job has ended. Jobs go to both of a devnet's models
 * and every mode they are served in. It then checks what an operator cares about: that every job ended settled,
 * failed, expired or cancelled (escrow refunded), that no node was penalized or lost stake, and that the token supply
 * did not change.
 */
public final class OverloadScenario {
    /** How hard and how long. */
    public record Options(Duration sustain, int factor, int burst, long maxFee, long deadlineBlocks, int clients,
                          Duration drainTimeout) {
        public static Options defaults() {
            return new Options(Duration.ofSeconds(60), 10, 10_000, Params.BASE_UNITS_PER_TOKEN, 50, 4, Duration.ofMinutes(5));
        }

        public Options {
            if (sustain.isNegative() || factor < 1 || burst < 0 || maxFee < 1 || deadlineBlocks < 1 || clients < 1
                    || drainTimeout.isNegative()) {
                throw new IllegalArgumentException("overload options out of range: " + this);
            }
        }
    }

    private enum Outcome { SETTLED, FAILED, EXPIRED, CANCELLED }

    private record JobKind(Hash model, VerificationMode mode, List<VerificationMode> fallbacks, boolean text) {}

    private final VerityClient client;
    private final PrivateKey funder;
    private final Options options;
    private final List<JobKind> kinds;
    private final List<byte[]> digitInputs;
    private final Consumer<String> progress;

    private final Map<Hash, Long> submittedAt = new ConcurrentHashMap<>();
    private final Map<Hash, Outcome> outcomes = new ConcurrentHashMap<>();
    private final Map<Hash, Long> settleMillis = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> refusedAtSubmission = new ConcurrentHashMap<>();
    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong penalties = new AtomicLong();
    private final AtomicLong jailings = new AtomicLong();
    private final AtomicLong peakPrice = new AtomicLong();
    private volatile boolean following = true;

    public OverloadScenario(VerityClient client, PrivateKey funder, Hash textModel, Hash integerModel, Options options,
                            Consumer<String> progress) {
        this.client = client;
        this.funder = funder;
        this.options = options;
        this.progress = progress;
        this.kinds = List.of(
                new JobKind(textModel, VerificationMode.NONE, List.of(), true),
                new JobKind(textModel, VerificationMode.TEE, List.of(VerificationMode.NONE), true),
                new JobKind(integerModel, VerificationMode.NONE, List.of(), false),
                new JobKind(integerModel, VerificationMode.OPTIMISTIC, List.of(), false),
                new JobKind(integerModel, VerificationMode.SAMPLED, List.of(), false));
        this.digitInputs = new ArrayList<>();
        for (float[] x : Digits.split().test().inputs()) {
            digitInputs.add(PackageRunner.encode(x));
        }
    }

    public OverloadReport run() throws InterruptedException {
        long started = System.nanoTime();
        long stakeBefore = totalStake();
        long supplyBefore = client.supply().total();
        long priceStart = client.status().basePrice();
        peakPrice.set(priceStart);
        List<NodeView> assignable = client.nodes().stream().filter(NodeView::assignable).toList();
        int capacity = assignable.stream().mapToInt(NodeView::capacity).sum();
        int target = options.factor() * capacity;
        List<Wallet> wallets = fundClients();
        Thread follower = new Thread(this::followEvents, "overload-events");
        follower.setDaemon(true);
        long fromHeight = client.status().height() + 1;
        followFrom = fromHeight;
        follower.start();

        progress.accept("sustaining " + target + " jobs in flight (" + options.factor() + " x the declared capacity of "
                + capacity + " on " + assignable.size() + " nodes) for " + options.sustain().toSeconds() + " s");
        long sustainEnd = System.nanoTime() + options.sustain().toNanos();
        runClients(wallets, w -> {
            int i = 0;
            while (System.nanoTime() < sustainEnd) {
                if (inFlight() < target) {
                    submit(w, i++);
                } else {
                    sleep(20);
                }
            }
        });
        progress.accept("burst: " + options.burst() + " jobs at once");
        int perClient = options.burst() / wallets.size();
        int remainder = options.burst() % wallets.size();
        List<Integer> shares = new ArrayList<>();
        for (int c = 0; c < wallets.size(); c++) {
            shares.add(perClient + (c < remainder ? 1 : 0));
        }
        runClients(wallets, w -> {
            int share = shares.get(wallets.indexOf(w));
            for (int i = 0; i < share; i++) {
                submit(w, i);
            }
        });
        progress.accept("draining: " + submittedAt.size() + " acknowledged jobs");
        long refusedInBlock = drain();
        following = false;
        follower.join(5_000);

        long stakeAfter = totalStake();
        long supplyAfter = client.supply().total();
        long queued = client.jobs(JobQuery.all().withStatus("QUEUED").withLimit(1000)).size();
        List<Long> latencies = new ArrayList<>(settleMillis.values());
        latencies.sort(null);
        Map<String, Long> refused = new TreeMap<>();
        refusedAtSubmission.forEach((k, v) -> refused.put(k, v.get()));
        long unresolved = submittedAt.size() - outcomes.size() - refusedInBlock;
        return new OverloadReport(assignable.size(), capacity, target, options.sustain().toSeconds(), submitted.get(),
                submittedAt.size(), refused, refusedInBlock, count(Outcome.SETTLED), count(Outcome.FAILED), count(Outcome.EXPIRED),
                count(Outcome.CANCELLED), unresolved, percentile(latencies, 50), percentile(latencies, 99),
                latencies.isEmpty() ? 0 : latencies.get(latencies.size() - 1), penalties.get(), jailings.get(), stakeBefore,
                stakeAfter, Math.max(0, stakeBefore - stakeAfter), supplyBefore, supplyAfter, queued, priceStart, peakPrice.get(),
                client.status().basePrice(), Duration.ofNanos(System.nanoTime() - started).toSeconds());
    }

    private long inFlight() {
        return submittedAt.size() - outcomes.size();
    }

    private long count(Outcome o) {
        return outcomes.values().stream().filter(x -> x == o).count();
    }

    private static long percentile(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private long totalStake() {
        long total = 0;
        for (NodeView n : client.nodes()) {
            total += n.stake();
            for (NodeView.UnbondingView u : n.unbonding()) {
                total += u.amount();
            }
        }
        return total;
    }

    /** New client accounts, each funded by the funder for every job it may escrow. */
    private List<Wallet> fundClients() {
        Wallet bank = new Wallet(client, funder);
        long jobsEach = (options.burst() + 20_000L) / options.clients() + 1;
        long amount = Math.min(jobsEach * options.maxFee(), bank.account().balance() / (options.clients() + 1));
        List<Wallet> wallets = new ArrayList<>();
        List<Hash> transfers = new ArrayList<>();
        for (int i = 0; i < options.clients(); i++) {
            Wallet w = new Wallet(client, KeyFiles.generate());
            transfers.add(bank.transfer(w.publicKey(), amount));
            wallets.add(w);
        }
        for (Hash t : transfers) {
            TransactionReceipt r = client.awaitReceipt(t, Duration.ofSeconds(60));
            if (!"INCLUDED".equals(r.status())) {
                throw new IllegalStateException("funding a client failed: " + r.status() + " " + r.code() + ": " + r.message());
            }
        }
        return wallets;
    }

    private void submit(Wallet w, int i) {
        JobKind k = kinds.get(Math.floorMod(i + w.publicKey().hashCode(), kinds.size()));
        byte[] input = k.text() ? dev.verity.core.Bytes.utf8("Sentence " + i + " sent by a busy client.")
                : digitInputs.get(Math.floorMod(i, digitInputs.size()));
        submitted.incrementAndGet();
        long now = System.currentTimeMillis();
        try {
            Hash id = w.submitJob(k.model(), input, k.mode(), k.fallbacks(), options.maxFee(), options.deadlineBlocks());
            submittedAt.put(id, now);
        } catch (VerityApiException e) {
            String code = e.code() == null ? "ERROR" : e.code();
            refusedAtSubmission.computeIfAbsent(code, c -> new AtomicLong()).incrementAndGet();
            if ("BAD_NONCE".equals(code)) {
                w.resetNonce();
            }
            if ("MEMPOOL_FULL".equals(code) || "UNREACHABLE".equals(code) || "TIMEOUT".equals(code)) {
                sleep(100);
            }
        }
    }

    private void runClients(List<Wallet> wallets, Consumer<Wallet> body) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (Wallet w : wallets) {
            Thread t = new Thread(() -> body.accept(w), "overload-client");
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    /** Waits until every acknowledged job ended or was refused in its block; returns how many were refused there. */
    private long drain() throws InterruptedException {
        long end = System.nanoTime() + options.drainTimeout().toNanos();
        TreeMap<String, Boolean> refusedInBlock = new TreeMap<>();
        while (System.nanoTime() < end) {
            List<Hash> open = submittedAt.keySet().stream().filter(h -> !outcomes.containsKey(h))
                    .filter(h -> !refusedInBlock.containsKey(h.hex())).toList();
            if (open.isEmpty()) {
                break;
            }
            if (open.size() < 2_000) {
                for (Hash h : open) {
                    TransactionReceipt r = client.receipt(h);
                    if ("REFUSED".equals(r.status())) {
                        refusedInBlock.put(h.hex(), true);
                    }
                }
            }
            sleep(1_000);
        }
        return refusedInBlock.size();
    }

    private volatile long followFrom;

    /** Reads the chain's events in order and records how each of this run's jobs ended, and every penalty. */
    private void followEvents() {
        long height = followFrom;
        int index = 0;
        while (following || inFlight() > 0) {
            List<EventView> page;
            try {
                page = client.events(EventQuery.all().withFromPosition(height, index).withLimit(1000));
            } catch (VerityApiException e) {
                sleep(500);
                continue;
            }
            for (EventView e : page) {
                record(e);
                height = e.height();
                index = e.index() + 1;
            }
            if (page.size() < 1000) {
                peakPrice.accumulateAndGet(client.status().basePrice(), Math::max);
                if (!following) {
                    return;
                }
                sleep(200);
            }
        }
    }

    private void record(EventView e) {
        switch (e.type()) {
            case "NODE_PENALIZED", "NODE_SLASHED" -> penalties.incrementAndGet();
            case "NODE_JAILED" -> jailings.incrementAndGet();
            default -> { }
        }
        if (e.job() == null) {
            return;
        }
        Hash id = Hash.fromHex(e.job());
        Long at = submittedAt.get(id);
        if (at == null) {
            return;
        }
        Outcome o = switch (e.type()) {
            case "JOB_SETTLED" -> Outcome.SETTLED;
            case "JOB_FAILED" -> e.reason() != null && e.reason().startsWith("INPUT_REJECTED") ? Outcome.FAILED : null;
            case "JOB_EXPIRED" -> Outcome.EXPIRED;
            case "JOB_CANCELLED" -> Outcome.CANCELLED;
            default -> null;
        };
        if (o != null && outcomes.putIfAbsent(id, o) == null && o == Outcome.SETTLED) {
            settleMillis.put(id, Math.max(0, e.timestampMillis() - at));
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
