package dev.verity.compute.verify;

import dev.verity.core.Hash;
import dev.verity.sdk.VerityApiException;
import dev.verity.sdk.VerityClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What a role already did, by a key naming the duty (a claim checked, a job's audit, a dispute's round):
 * a duty is done once, and sent again only if the chain refused its transaction when the block was built
 * (the state moved under it). Bounded; the oldest keys are forgotten first. Thread-safe.
 */
final class Submissions {
    private static final int CAPACITY = 4096;
    /** Stands for "done without a transaction". */
    private static final Hash NOTHING_SENT = Hash.ZERO;

    private final VerityClient client;
    private final Map<String, Hash> done = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Hash> eldest) {
            return size() > CAPACITY;
        }
    };

    Submissions(VerityClient client) {
        this.client = client;
    }

    /** Whether the duty {@code key} is still to do: never done, or its transaction was refused in its block. */
    synchronized boolean due(String key) {
        Hash tx = done.get(key);
        if (tx == null) {
            return true;
        }
        if (tx.equals(NOTHING_SENT) || !refused(tx)) {
            return false;
        }
        done.remove(key);
        return true;
    }

    /** Whether the chain refused {@code tx} in its block, or no longer knows it (a node keeps only its newest refusals). */
    private boolean refused(Hash tx) {
        try {
            return "REFUSED".equals(client.receipt(tx).status());
        } catch (VerityApiException e) {
            if (e.status() == 404) {
                return true;
            }
            throw e;
        }
    }

    /** Sends the duty {@code key} if it is {@link #due}; returns true when it was sent now. */
    synchronized boolean sendOnce(String key, Supplier<Hash> send) {
        if (!due(key)) {
            return false;
        }
        done.put(key, send.get());
        return true;
    }

    /** Marks {@code key} done without a transaction. */
    synchronized void skip(String key) {
        done.put(key, NOTHING_SENT);
    }
}
