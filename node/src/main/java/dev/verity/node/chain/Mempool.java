package dev.verity.node.chain;

import dev.verity.core.Hash;
import dev.verity.core.PublicKey;
import dev.verity.ledger.tx.SignedTransaction;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Admitted transactions waiting for a block, in arrival order, with each sender's next nonce
 * counting its pending transactions. Not thread-safe: {@link ChainNode} guards it.
 */
final class Mempool {
    private final LinkedHashMap<Hash, SignedTransaction> pending = new LinkedHashMap<>();
    private final TreeMap<PublicKey, Long> nextNonce = new TreeMap<>();
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

    void add(SignedTransaction tx) {
        pending.put(tx.hash(), tx);
        nextNonce.put(tx.body().sender(), tx.body().nonce() + 1);
    }

    List<SignedTransaction> take(int max) {
        List<SignedTransaction> out = new ArrayList<>(Math.min(max, pending.size()));
        for (SignedTransaction tx : pending.values()) {
            if (out.size() >= max) {
                break;
            }
            out.add(tx);
        }
        return out;
    }

    /** Forgets transactions that made it into a block or were refused, and recomputes the sender nonces. */
    void removeAll(List<Hash> hashes) {
        for (Hash h : hashes) {
            pending.remove(h);
        }
        nextNonce.clear();
        for (Map.Entry<Hash, SignedTransaction> e : pending.entrySet()) {
            SignedTransaction tx = e.getValue();
            nextNonce.merge(tx.body().sender(), tx.body().nonce() + 1, Math::max);
        }
    }
}
