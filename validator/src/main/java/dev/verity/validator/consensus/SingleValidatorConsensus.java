package dev.verity.validator.consensus;

import dev.verity.validator.chain.ChainNode;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One validator that produces a block every interval. The first block that fails stops production for good (the
 * chain may be ahead of its store); the failure is logged at ERROR and handed to the {@link #onFailure} handler, so
 * that a validator process exits instead of running on without producing blocks.
 */
public final class SingleValidatorConsensus implements Consensus {
    private static final Logger LOG = LoggerFactory.getLogger(SingleValidatorConsensus.class);

    private final ChainNode chain;
    private final long intervalMillis;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "block-producer");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean failed;
    private volatile Consumer<RuntimeException> onFailure = e -> { };

    public SingleValidatorConsensus(ChainNode chain, long intervalMillis) {
        if (intervalMillis < 1) {
            throw new IllegalArgumentException("the block interval must be at least 1 ms");
        }
        this.chain = chain;
        this.intervalMillis = intervalMillis;
    }

    @Override
    public void start() {
        timer.scheduleWithFixedDelay(this::tick, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        if (failed) {
            return;
        }
        try {
            chain.produceBlock();
        } catch (RuntimeException e) {
            failed = true;
            LOG.error("BLOCK PRODUCTION STOPPED: {}", e.getMessage(), e);
            try {
                onFailure.accept(e);
            } catch (RuntimeException handlerFailure) {
                LOG.warn("block production failure handler failed", handlerFailure);
            }
        }
    }

    /** Called once, on the block producer's thread, with the failure that stopped block production. */
    public void onFailure(Consumer<RuntimeException> handler) {
        this.onFailure = handler == null ? e -> { } : handler;
    }

    public boolean failed() {
        return failed;
    }

    @Override
    public String describe() {
        return "single validator, one block every " + intervalMillis + " ms";
    }

    @Override
    public void close() {
        timer.shutdown();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
