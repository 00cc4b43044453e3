package dev.verity.economics.sim;

import dev.verity.core.PrivateKey;
import dev.verity.protocol.tx.Payload;
import dev.verity.protocol.tx.SignedTransaction;
import dev.verity.protocol.tx.TransactionBody;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Signs transactions ahead on worker threads, as the actors would sign them on their own machines, and checks each
 * signature once there, as a validator's mempool does on admission ({@link SignedTransaction#signatureValid} remembers
 * the outcome, so {@code ledger.apply} does not check it again). Work needed in an earlier block goes first. The
 * thread that needs a transaction runs its task itself if no worker has started it, so nothing waits on a busy worker.
 * Every task is a pure function of its inputs: the transactions, and so the run, do not depend on the threads.
 */
final class Signer implements AutoCloseable {
    /** A transaction being signed; {@link #signed} returns it, signed and its signature checked. */
    final class Pending extends FutureTask<SignedTransaction> implements Comparable<Pending> {
        private final long block;
        private final long order;

        private Pending(long block, long order, Supplier<SignedTransaction> work) {
            super(work::get);
            this.block = block;
            this.order = order;
        }

        SignedTransaction signed() {
            run(); // a no-op when a worker started it or it is done
            Runnable next;
            while (!isDone() && (next = workers.getQueue().poll()) != null) {
                next.run(); // rather than wait for the worker, take on work waiting behind it
            }
            try {
                return get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while signing", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            }
        }

        @Override
        public int compareTo(Pending o) {
            return block != o.block ? Long.compare(block, o.block) : Long.compare(order, o.order);
        }
    }

    private final ThreadPoolExecutor workers;
    private final String chainId;
    private long submitted;

    Signer(String chainId) {
        this.chainId = chainId;
        int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() - 1));
        this.workers = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new PriorityBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "sim-signer");
            t.setDaemon(true);
            return t;
        });
        workers.prestartAllCoreThreads(); // so that every task goes through the queue, in its order
    }

    /** Signs {@code payload()} by {@code key} with {@code nonce}, for block {@code block}. */
    Pending sign(long block, PrivateKey key, long nonce, Supplier<Payload> payload) {
        Pending p = new Pending(block, submitted++, () -> {
            SignedTransaction tx = SignedTransaction.sign(new TransactionBody(chainId, key.publicKey(), nonce, payload.get()), key);
            tx.signatureValid();
            return tx;
        });
        workers.execute(p);
        return p;
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
