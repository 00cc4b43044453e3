package dev.verity.gateway;

import dev.verity.gateway.backend.ChatBackend;
import dev.verity.gateway.backend.GenerationOutcome;
import dev.verity.gateway.backend.JobStarted;
import dev.verity.gateway.backend.TokenListener;
import dev.verity.gateway.generation.GenerationPlan;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One call of {@link ChatBackend#generate} on a thread of its own, heard as a queue of events. The backend's thread
 * only enqueues (at most the request's maximum of tokens, whatever a node streams), so a client that reads slowly
 * never slows the backend or anyone else's answer.
 */
final class GenerationJob implements TokenListener {

    /** What the backend said, in order; a job ends with exactly one {@link Done} or {@link Failed}. */
    sealed interface Event {
    }

    record Started(JobStarted job) implements Event {
    }

    record Token(int id) implements Event {
    }

    record Done(GenerationOutcome outcome) implements Event {
    }

    record Failed(Throwable cause) implements Event {
    }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    /** Tokens beyond the request's maximum (and one to show the excess) cannot be part of a valid result: dropped. */
    private final int tokenLimit;
    private int tokens;
    private volatile Future<?> task;

    private GenerationJob(int maxTokens) {
        this.tokenLimit = maxTokens + 1;
    }

    static GenerationJob start(ChatBackend backend, GenerationPlan plan, ExecutorService executor) {
        GenerationJob job = new GenerationJob(plan.request().maxTokens());
        job.task = executor.submit(() -> {
            try {
                job.events.add(new Done(backend.generate(plan.model().id(), plan.request(), job)));
            } catch (Throwable t) { // a backend's failure of any kind ends the answer with an error, never silently
                job.events.add(new Failed(t));
            }
        });
        return job;
    }

    @Override
    public void onJobStarted(JobStarted job) {
        events.add(new Started(job));
    }

    @Override
    public void onToken(int tokenId) {
        if (tokens < tokenLimit) { // the backend calls from one thread at a time
            tokens++;
            events.add(new Token(tokenId));
        }
    }

    /** The next event, waiting as long as it takes. */
    Event next() throws InterruptedException {
        return events.take();
    }

    /** The next event, or null when none came within {@code wait}. */
    Event next(Duration wait) throws InterruptedException {
        return events.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops waiting for the backend (its {@code generate} is interrupted); the job on chain runs on. */
    void cancel() {
        Future<?> t = task;
        if (t != null) {
            t.cancel(true);
        }
    }
}
