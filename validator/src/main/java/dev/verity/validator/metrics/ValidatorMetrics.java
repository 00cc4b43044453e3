package dev.verity.validator.metrics;

import dev.verity.core.Hash;
import dev.verity.ledger.RejectCode;
import dev.verity.ledger.block.Block;
import dev.verity.ledger.state.JobRecord;
import dev.verity.ledger.state.JobStatus;
import dev.verity.protocol.VerificationMode;
import dev.verity.sdk.api.EventView;
import dev.verity.sdk.api.StatusView;
import dev.verity.service.metrics.ReadinessCheck;
import dev.verity.service.metrics.Registries;
import dev.verity.validator.chain.BlockListener;
import dev.verity.validator.chain.ChainNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;

/**
 * A validator's metrics and readiness, fed by its chain's block events. One per {@link ChainNode}
 * ({@link #of}); {@link #attach} gives it a registry of the caller's (the devnet's workers share it).
 *
 * <p>Jobs by status and mode ({@code verity_jobs}) are counted once when attached (one pass over the job table) and
 * then kept up to date from each block's events: only the jobs a block's events name are read again. A job's previous
 * status is remembered while it is open (queued, assigned, verifying, disputed); the closed states are final.
 *
 * <p>Readiness: the last block is recent (produced within {@value #STALE_AFTER_INTERVALS} block intervals of now, or
 * of when this was attached), and every added {@link ReadinessCheck} holds (storage failure, block production
 * stopped).
 */
public final class ValidatorMetrics implements BlockListener {
    /** A chain whose last block is older than this many block intervals is not ready. */
    public static final int STALE_AFTER_INTERVALS = 10;
    private static final Map<ChainNode, ValidatorMetrics> BY_CHAIN = new WeakHashMap<>();
    private static final Set<String> REJECT_CODES = new LinkedHashSet<>();

    static {
        for (RejectCode c : RejectCode.values()) {
            REJECT_CODES.add(c.name());
        }
    }

    private final PrometheusMeterRegistry registry;
    private final WeakReference<ChainNode> chain;
    private final long blockIntervalMillis;
    private final List<ReadinessCheck> checks = new CopyOnWriteArrayList<>();
    private volatile LongSupplier clock = System::currentTimeMillis;
    private volatile long lastBlockAt;
    private final Counter blocks;
    private final Counter admitted;
    private final Object jobsLock = new Object();
    private final AtomicLong[][] jobs = new AtomicLong[JobStatus.values().length][VerificationMode.values().length];
    /** Open jobs: id to {@code status * modes + mode}. */
    private final Map<Hash, Integer> open = new HashMap<>();
    private long countedHeight;

    private ValidatorMetrics(ChainNode chain, PrometheusMeterRegistry registry) {
        this.registry = registry;
        this.chain = new WeakReference<>(chain);
        this.blockIntervalMillis = Math.max(1, chain.config().blockIntervalMillis());
        this.lastBlockAt = clock.getAsLong();
        // Fail-stop storage: a halted node must not be sent traffic (docs/ARCHITECTURE.md, "Storage").
        checks.add(() -> chain.failure().map(why -> "the node halted after a storage failure: " + why));
        gauge("verity.chain.height", "the height of the last committed block", s -> s.height());
        gauge("verity.mempool.size", "transactions acknowledged and waiting for a block", s -> s.mempoolSize());
        gauge("verity.base.price", "the fee market's base price (base units per 10^15 compute units)", s -> s.basePrice());
        gauge("verity.history.lowest.height", "the lowest height whose history the node keeps (0: every block, an archive)",
                s -> s.lowestHeight());
        Gauge.builder("verity.jobs.queued", this, m -> m.read(c -> c.read(s -> s.queue.count())))
                .description("jobs waiting in the queue for an eligible node (the queue depth)").register(registry);
        blocks = Counter.builder("verity.blocks.produced").description("blocks committed by this node since it started")
                .register(registry);
        admitted = Counter.builder("verity.transactions.admitted").description("transactions acknowledged into the mempool")
                .register(registry);
        for (JobStatus st : JobStatus.values()) {
            for (VerificationMode mode : VerificationMode.values()) {
                AtomicLong n = new AtomicLong();
                jobs[st.ordinal()][mode.ordinal()] = n;
                Gauge.builder("verity.jobs", n, AtomicLong::get).description("live jobs by status and mode, and jobs finished since this node started")
                        .tags("status", st.name(), "mode", mode.name()).register(registry);
            }
        }
        synchronized (jobsLock) {
            chain.addListener(this);
            chain.read(s -> {
                for (JobRecord j : s.jobs.values()) {
                    count(j, 1);
                    if (isOpen(j.status())) {
                        open.put(j.id(), key(j));
                    }
                }
                countedHeight = s.height();
                return null;
            });
        }
    }

    /** The metrics of {@code chain}, made with a fresh registry ({@link Registries#prometheus()}) on first use. */
    public static ValidatorMetrics of(ChainNode chain) {
        synchronized (BY_CHAIN) {
            return BY_CHAIN.computeIfAbsent(chain, c -> new ValidatorMetrics(c, Registries.prometheus()));
        }
    }

    /** Metrics of {@code chain} in {@code registry} that {@link #of} does not know (tests). */
    static ValidatorMetrics create(ChainNode chain, PrometheusMeterRegistry registry) {
        return new ValidatorMetrics(chain, registry);
    }

    /**
     * The metrics of {@code chain} in {@code registry}; call before the API starts. Throws when the chain's metrics
     * already live in another registry.
     */
    public static ValidatorMetrics attach(ChainNode chain, PrometheusMeterRegistry registry) {
        synchronized (BY_CHAIN) {
            ValidatorMetrics m = BY_CHAIN.computeIfAbsent(chain, c -> new ValidatorMetrics(c, registry));
            if (m.registry != registry) {
                throw new IllegalStateException("this chain's metrics are already in another registry");
            }
            return m;
        }
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Adds a condition to {@code /readyz}: a storage fail-stop signal, block production stopped. */
    public ValidatorMetrics addReadinessCheck(ReadinessCheck check) {
        checks.add(check);
        return this;
    }

    /** Replaces the clock that block recency is measured with (tests). */
    public void clock(LongSupplier millis) {
        this.clock = millis;
        this.lastBlockAt = millis.getAsLong();
    }

    /** Every readiness condition: the last block is recent, then the added checks. */
    public List<ReadinessCheck> readinessChecks() {
        List<ReadinessCheck> all = new ArrayList<>();
        all.add(this::blockRecency);
        all.addAll(checks);
        return all;
    }

    private Optional<String> blockRecency() {
        long age = clock.getAsLong() - lastBlockAt;
        long limit = STALE_AFTER_INTERVALS * blockIntervalMillis;
        if (age > limit) {
            return Optional.of("no block for " + age + " ms (more than " + STALE_AFTER_INTERVALS + " block intervals of "
                    + blockIntervalMillis + " ms)");
        }
        return Optional.empty();
    }

    /** A transaction acknowledged at admission. */
    public void admitted() {
        admitted.increment();
    }

    /** A transaction refused with {@code code} at {@code stage} ({@code admission} or {@code block}). */
    public void refused(String code, String stage) {
        Counter.builder("verity.transactions.refused").description("transactions refused, by reject code and stage")
                .tags("code", code, "stage", stage).register(registry).increment();
    }

    /** Whether {@code code} is one of the ledger's reject codes. */
    public static boolean isRejectCode(String code) {
        return code != null && REJECT_CODES.contains(code);
    }

    @Override
    public void onBlock(Block block, List<EventView> events) {
        lastBlockAt = clock.getAsLong();
        blocks.increment();
        Set<Hash> touched = new LinkedHashSet<>();
        for (EventView e : events) {
            if (e.job() != null) {
                touched.add(Hash.fromHex(e.job()));
            }
        }
        ChainNode c = chain.get();
        if (c == null) {
            return;
        }
        synchronized (jobsLock) {
            if (block.height() <= countedHeight) {
                return; // already in the first count
            }
            countedHeight = block.height();
            if (touched.isEmpty()) {
                return;
            }
            List<JobRecord> live = c.read(s -> touched.stream().map(s.jobs::get).filter(j -> j != null).toList());
            List<JobRecord> now = new java.util.ArrayList<>(live);
            live.forEach(j -> touched.remove(j.id()));
            // The rest finished in this block and left the live state for the archive.
            for (Hash id : touched) {
                c.archivedJob(id).ifPresent(r -> now.add(r.job()));
            }
            for (JobRecord j : now) {
                Integer before = open.remove(j.id());
                if (before == null && j.submittedAt() != block.height()) {
                    continue; // closed before this block: closed states are final
                }
                if (before != null) {
                    jobs[before / VerificationMode.values().length][before % VerificationMode.values().length].decrementAndGet();
                }
                count(j, 1);
                if (isOpen(j.status())) {
                    open.put(j.id(), key(j));
                }
            }
        }
    }

    @Override
    public void onRefused(Block block, RejectCode code) {
        refused(code.name(), "block");
    }

    private void count(JobRecord j, int delta) {
        jobs[j.status().ordinal()][j.mode().ordinal()].addAndGet(delta);
    }

    private static int key(JobRecord j) {
        return j.status().ordinal() * VerificationMode.values().length + j.mode().ordinal();
    }

    private static boolean isOpen(JobStatus s) {
        return s == JobStatus.QUEUED || s == JobStatus.ASSIGNED || s == JobStatus.VERIFYING || s == JobStatus.DISPUTED;
    }

    private void gauge(String name, String description, ToDoubleFunction<StatusView> f) {
        Gauge.builder(name, this, m -> m.read(c -> f.applyAsDouble(c.status()))).description(description).register(registry);
    }

    private double read(java.util.function.Function<ChainNode, Number> f) {
        ChainNode c = chain.get();
        return c == null ? Double.NaN : f.apply(c).doubleValue();
    }
}
