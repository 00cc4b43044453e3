package dev.verity.validator.chain;

import dev.verity.protocol.tx.SignedTransaction;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Checks the signatures of a block's transactions on several threads before the block is executed on one.
 * {@link SignedTransaction#signatureValid()} remembers its answer, so the sequential state transition then finds
 * every signature already checked; a bad signature is still refused there, by the same rule, so this changes
 * only how long a block takes, never its outcome.
 */
public final class SignaturePrecheck implements AutoCloseable {
    private final int threads;
    private final ExecutorService pool;

    public SignaturePrecheck(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("signature checks need at least one thread, got " + threads);
        }
        this.threads = threads;
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "signature-precheck");
            t.setDaemon(true);
            return t;
        });
    }

    /** One thread per available processor. */
    public static SignaturePrecheck perProcessor() {
        return new SignaturePrecheck(Runtime.getRuntime().availableProcessors());
    }

    /** Checks every signature of {@code txs}, spread over the threads, and returns when all are known. */
    public void check(List<SignedTransaction> txs) {
        if (threads == 1 || txs.size() < 2) {
            txs.forEach(SignedTransaction::signatureValid);
            return;
        }
        // Interleaved slices: a block's large transactions (result batches) tend to sit together.
        List<Future<?>> slices = new ArrayList<>(threads);
        for (int s = 0; s < threads; s++) {
            int first = s;
            slices.add(pool.submit(() -> {
                for (int i = first; i < txs.size(); i += threads) {
                    txs.get(i).signatureValid();
                }
            }));
        }
        for (Future<?> f : slices) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while checking signatures", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("a signature check failed to run: " + e.getCause(), e.getCause());
            }
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
