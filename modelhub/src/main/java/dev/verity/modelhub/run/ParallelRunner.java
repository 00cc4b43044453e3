package dev.verity.modelhub.run;

import dev.verity.core.Hash;
import dev.verity.inference.engine.IntegerEngine;
import dev.verity.inference.engine.OpOutput;
import dev.verity.inference.engine.RunResult;
import dev.verity.inference.engine.State;
import dev.verity.inference.engine.Step;
import dev.verity.inference.engine.StepResult;
import dev.verity.inference.program.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs an {@link IntegerEngine} plan on 1..N threads with exactly the bytes and step hashes of the
 * single-threaded {@link IntegerEngine#run}.
 *
 * <p>Ops run one after another. The slices (steps) of one op are independent: each is computed on a
 * worker from the state before the op into one shared {@link OpOutput}, writing only its own elements.
 * Once all are done (the futures' completion publishes the writes), the state after each slice is
 * rebuilt with {@link IntegerEngine#stateAfter} and hashed, also on the workers, a batch of
 * {@code threads} states at a time to bound memory. An op with a single step runs on the calling thread.
 * With one thread everything runs on the calling thread, step by step.
 */
public final class ParallelRunner implements AutoCloseable {
    private final IntegerEngine engine;
    private final int threads;
    private final ExecutorService pool;

    public ParallelRunner(IntegerEngine engine, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.engine = engine;
        this.threads = threads;
        if (threads == 1) {
            pool = null;
        } else {
            AtomicInteger count = new AtomicInteger();
            pool = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "verity-integer-" + count.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
    }

    public int threads() {
        return threads;
    }

    /** Runs the whole plan; same result as {@code engine.run(inputs)}. */
    public RunResult run(SortedMap<String, Tensor> inputs) {
        State state = engine.initialState(inputs);
        Hash inputHash = state.hash();
        List<Step> plan = engine.plan();
        List<Hash> hashes = new ArrayList<>(plan.size());
        int i = 0;
        while (i < plan.size()) {
            Step first = plan.get(i);
            int count = first.sliceCount();
            if (pool == null || count == 1) {
                StepResult r = engine.runStep(i, state);
                hashes.add(r.stateHash());
                state = r.state();
                i++;
                continue;
            }
            state = runOp(i, count, state, hashes);
            i += count;
        }
        return new RunResult(engine.outputs(state), inputHash, hashes);
    }

    /** The steps {@code first .. first+count-1} (all slices of one op) in parallel; returns the state after the last. */
    private State runOp(int first, int count, State before, List<Hash> hashes) {
        OpOutput out = engine.newOpOutput(first);
        List<Future<?>> slices = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            int index = first + k;
            slices.add(pool.submit(() -> engine.computeSlice(index, before, out)));
        }
        for (Future<?> f : slices) {
            await(f);
        }
        State last = before;
        for (int batch = 0; batch < count; batch += threads) {
            List<Future<State>> states = new ArrayList<>();
            for (int k = batch; k < Math.min(count, batch + threads); k++) {
                int index = first + k;
                states.add(pool.submit(() -> {
                    State s = engine.stateAfter(index, before, out);
                    s.hash();
                    return s;
                }));
            }
            for (Future<State> f : states) {
                last = await(f);
                hashes.add(last.hash());
            }
        }
        return last;
    }

    private static <T> T await(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running a step", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
