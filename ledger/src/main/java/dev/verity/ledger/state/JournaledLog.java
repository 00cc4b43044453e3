package dev.verity.ledger.state;

import java.util.ArrayList;
import java.util.List;

/** Items a block collects in order (events, retired jobs): an append is undone with the transaction that made it. */
final class JournaledLog<T> {
    private final List<T> items = new ArrayList<>();
    private final Journal journal;

    JournaledLog(Journal journal) {
        this.journal = journal;
    }

    void add(T item) {
        int size = items.size();
        items.add(item);
        journal.recordUndo(() -> items.subList(size, items.size()).clear());
    }

    /** The items since the last drain, in order, and forgets them. */
    List<T> drain() {
        List<T> out = List.copyOf(items);
        items.clear();
        return out;
    }
}
