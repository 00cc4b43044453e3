package dev.verity.validator.chain;

import dev.verity.core.Hash;
import dev.verity.core.PublicKey;
import dev.verity.protocol.tx.SignedTransaction;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.TreeMap;

/**
 * Admitted transactions waiting for a block, in arrival order, with each sender's next nonce and
 * the base units its pending transactions take from its balance (their debits, as the ledger's dry run
 * measured them at admission; credits are not counted). Not thread-safe: {@link ChainNode} guards it.
 */
final class Mempool {
    /** What a sender's pending transactions take from its balance, and how many of them take something. */
    record Held(long amount, int transactions) {
        static final Held NOTHING = new Held(0, 0);

        Held plus(long debit) {
            return debit == 0 ? this : new Held(Math.addExact(amount, debit), transactions + 1);
        }
    }

    private record Entry(SignedTransaction tx, long debit) {}

    private final LinkedHashMap<Hash, Entry> pending = new LinkedHashMap<>();
    private final TreeMap<PublicKey, Long> nextNonce = new TreeMap<>();
    private final TreeMap<PublicKey, Held> held = new TreeMap<>();
    private final int capacity;

    Mempool(int capacity) {
        this.capacity = capacity;
    }

    boolean contains(Hash hash) {
        return pending.containsKey(hash);
    }

    boolean full() {
        return pending.size() >= capacity;
    }

    int size() {
        return pending.size();
    }

    /** The nonce the sender's next transaction must carry, or -1 when it has none pending. */
    long pendingNextNonce(PublicKey sender) {
        Long n = nextNonce.get(sender);
        return n == null ? -1 : n;
    }

    /** What the sender's pending transactions take from its balance. */
    Held held(PublicKey sender) {
        return held.getOrDefault(sender, Held.NOTHING);
    }

    /** Adds an admitted transaction that takes {@code debit} base units from its sender's balance. */
    void add(SignedTransaction tx, long debit) {
        if (debit < 0) {
            throw new IllegalArgumentException("negative debit " + debit);
        }
        pending.put(tx.hash(), new Entry(tx, debit));
        nextNonce.put(tx.body().sender(), tx.body().nonce() + 1);
        held.put(tx.body().sender(), held(tx.body().sender()).plus(debit));
    }

    List<SignedTransaction> take(int max) {
        List<SignedTransaction> out = new ArrayList<>(Math.min(max, pending.size()));
        for (Entry e : pending.values()) {
            if (out.size() >= max) {
                break;
            }
            out.add(e.tx());
        }
        return out;
    }

    /**
     * Forgets transactions that made it into a block or were refused, and recomputes the sender nonces
     * and what the remaining ones hold.
     */
    void removeAll(List<Hash> hashes) {
        for (Hash h : hashes) {
            pending.remove(h);
        }
        nextNonce.clear();
        held.clear();
        for (Entry e : pending.values()) {
            PublicKey sender = e.tx().body().sender();
            nextNonce.merge(sender, e.tx().body().nonce() + 1, Math::max);
            held.put(sender, held(sender).plus(e.debit()));
        }
    }
}
