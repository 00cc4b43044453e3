package dev.verity.ledger.state;

/** Sees one row of a table walk; returns false to stop the walk. */
@FunctionalInterface
public interface RowVisitor<K, V> {
    boolean visit(K key, V value);
}
