package dev.verity.compute.verify;


import dev.verity.core.Hash;
import dev.verity.core.PublicKey;
import dev.verity.inference.generate.TokenListener;
import dev.verity.inference.trace.TraceValues;
import dev.verity.sdk.VerityClient;
import java.util.Base64;
import java.util.Optional;

/**
 * Computes the traces one node commits to and plays: its own results (cheated when the node is set to
 * cheat, on the devnet only) and the honest tree of another node's result, which a watcher or auditor
 * compares with what was posted. Recent traces are cached; a miss re-runs the job from its input on
 * the chain. Thread-safe.
 */
public final class Tracer {
    /** Traces kept: enough for every job a node has in flight, its audits and its disputes. */
    public static final int DEFAULT_CACHE = 256;

    private final VerityClient client;
    private final ProvablePrograms programs;
    private final PublicKey self;
    private final TraceCheat cheat;
    private final TraceCache cache;

    /** An honest tracer for node {@code self}. */
    public Tracer(VerityClient client, ProvablePrograms programs, PublicKey self) {
        this(client, programs, self, null, DEFAULT_CACHE);
    }

    /**
     * A tracer that cheats {@code cheat}'s way on this node's own results (null: honest); refused unless the
     * node's chain is the devnet.
     */
    public Tracer(VerityClient client, ProvablePrograms programs, PublicKey self, TraceCheat cheat, int cacheSize) {
        if (cheat != null) {
            cheat.allowedOn(client.status().chainId());
        }
        this.client = client;
        this.programs = programs;
        this.self = self;
        this.cheat = cheat;
        this.cache = new TraceCache(cacheSize);
    }

    public PublicKey self() {
        return self;
    }

    /** The cheat this node plays on its own results, or null. */
    public TraceCheat cheat() {
        return cheat;
    }

    public ProvablePrograms programs() {
        return programs;
    }

    /** The trace this node commits to for its own result on {@code job}; empty when it cannot trace the model. */
    public Optional<JobTrace> ownResult(Hash job, Hash model, byte[] input) {
        return ownResult(job, model, input, TokenListener.NONE);
    }

    /** {@link #ownResult(Hash, Hash, byte[])}, telling {@code tokens} a generation's tokens as they are drawn. */
    public Optional<JobTrace> ownResult(Hash job, Hash model, byte[] input, TokenListener tokens) {
        return trace(job, model, self, cheat, input, tokens);
    }

    /** The trace an honest run gives for the result {@code resultNode} posted on {@code job}. */
    public Optional<JobTrace> expected(Hash job, Hash model, PublicKey resultNode, byte[] input) {
        return trace(job, model, resultNode, null, input, TokenListener.NONE);
    }

    /**
     * The tree this node plays in the dispute over {@code job}, whose result {@code defender} posted: its own
     * result's trace when it is the defender, else the honest tree. Re-run from the chain's copy of the input on a miss.
     */
    public Optional<JobTrace> forDispute(Hash job, Hash model, PublicKey defender) {
        TraceCheat way = defender.equals(self) ? cheat : null;
        return Optional.ofNullable(cache.get(new TraceCache.Key(job, defender, way),
                () -> compute(job, model, defender, way, Base64.getDecoder().decode(client.job(job).input()),
                        TokenListener.NONE)));
    }

    private Optional<JobTrace> trace(Hash job, Hash model, PublicKey resultNode, TraceCheat way, byte[] input,
                                     TokenListener tokens) {
        return Optional.ofNullable(cache.get(new TraceCache.Key(job, resultNode, way),
                () -> compute(job, model, resultNode, way, input, tokens)));
    }

    private JobTrace compute(Hash job, Hash model, PublicKey resultNode, TraceCheat way, byte[] input, TokenListener tokens) {
        Optional<ProvableProgram> program = programs.forModel(model);
        if (program.isEmpty()) {
            return null;
        }
        TraceValues values = program.get().trace(job, input, way, tokens);
        return new JobTrace(job, resultNode, input, values, program.get(), way == null);
    }
}
