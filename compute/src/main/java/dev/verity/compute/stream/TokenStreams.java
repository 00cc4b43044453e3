package dev.verity.compute.stream;

import dev.verity.core.Hash;
import dev.verity.protocol.generation.FinishReason;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tokens of the generation jobs a node runs, kept while they run and for the last {@code retainedFinished} jobs
 * after, so that a client who subscribes late (its gateway learns the assignment from a block) still gets every
 * token from the first. A subscriber gets what was made so far at once, then each token as it comes.
 * Thread-safe: generation threads publish, server threads subscribe.
 */
public final class TokenStreams {
    private final int retainedFinished;
    private final Map<Hash, JobTokens> jobs = new LinkedHashMap<>();

    public TokenStreams(int retainedFinished) {
        if (retainedFinished < 1) {
            throw new IllegalArgumentException("keep at least one finished stream, not " + retainedFinished);
        }
        this.retainedFinished = retainedFinished;
    }

    /** The listener a generation of {@code job} publishes to. */
    public TokenListener publisher(Hash job) {
        JobTokens tokens = tokens(job);
        tokens.publishing();
        return new TokenListener() {
            @Override
            public void token(int index, int id) {
                tokens.add(index, id);
            }

            @Override
            public void finished(FinishReason reason) {
                tokens.end(reason, null);
                trim();
            }

            @Override
            public void failed(String message) {
                tokens.end(null, message);
                trim();
            }
        };
    }

    /**
     * Sends {@code listener} the tokens of {@code job} made so far, then each new one, then the end. Returns what
     * stops the subscription (call it when the client goes away).
     */
    public Runnable subscribe(Hash job, TokenListener listener) {
        JobTokens tokens = tokens(job);
        tokens.subscribe(listener);
        return () -> {
            tokens.unsubscribe(listener);
            forgetIfIdle(job, tokens);
        };
    }

    /** A stream that never started and that nobody waits for is dropped, so unknown ids cannot pile up. */
    private synchronized void forgetIfIdle(Hash job, JobTokens tokens) {
        if (!tokens.started() && !tokens.hasListeners() && jobs.get(job) == tokens) {
            jobs.remove(job);
        }
    }

    /** Whether this node has made (or is making) tokens for {@code job}. */
    public synchronized boolean knows(Hash job) {
        JobTokens t = jobs.get(job);
        return t != null && t.started();
    }

    private synchronized JobTokens tokens(Hash job) {
        return jobs.computeIfAbsent(job, j -> new JobTokens());
    }

    /** Drops the oldest finished streams beyond the retention, and streams nobody waits for that never started. */
    private synchronized void trim() {
        int finished = 0;
        for (JobTokens t : jobs.values()) {
            finished += t.ended() ? 1 : 0;
        }
        var it = jobs.values().iterator();
        while (finished > retainedFinished && it.hasNext()) {
            JobTokens t = it.next();
            if (t.ended()) {
                it.remove();
                finished--;
            }
        }
    }

    /** One job's tokens and its subscribers. */
    private static final class JobTokens {
        private final List<Integer> ids = new ArrayList<>();
        private final List<TokenListener> listeners = new ArrayList<>();
        private FinishReason reason;
        private String failure;
        private boolean publishing;

        synchronized void publishing() {
            publishing = true;
        }

        /** A generation publishes here (or did): the stream is kept for its subscribers. */
        synchronized boolean started() {
            return publishing || !ids.isEmpty() || ended();
        }

        synchronized boolean ended() {
            return reason != null || failure != null;
        }

        synchronized void add(int index, int id) {
            if (ended() || index != ids.size()) {
                throw new IllegalStateException("token " + index + " out of order: " + ids.size() + " tokens so far"
                        + (ended() ? ", and the stream ended" : ""));
            }
            ids.add(id);
            for (TokenListener l : listeners) {
                l.token(index, id);
            }
        }

        synchronized void end(FinishReason finish, String message) {
            if (ended()) {
                return;
            }
            reason = finish;
            failure = message;
            for (TokenListener l : listeners) {
                tell(l);
            }
            listeners.clear();
        }

        synchronized void subscribe(TokenListener l) {
            for (int i = 0; i < ids.size(); i++) {
                l.token(i, ids.get(i));
            }
            if (ended()) {
                tell(l);
            } else {
                listeners.add(l);
            }
        }

        synchronized boolean hasListeners() {
            return !listeners.isEmpty();
        }

        synchronized void unsubscribe(TokenListener l) {
            listeners.remove(l);
        }

        private void tell(TokenListener l) {
            if (reason != null) {
                l.finished(reason);
            } else {
                l.failed(failure);
            }
        }
    }
}
