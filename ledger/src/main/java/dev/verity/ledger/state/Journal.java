package dev.verity.ledger.state;

import java.util.ArrayList;
import java.util.List;

/**
 * Undo log for the transaction being applied: every write records how to take it back, so a
 * rejected transaction leaves the state exactly as it was, whatever step it failed at.
 */
public final class Journal {
    private final List<Runnable> undo = new ArrayList<>();
    private boolean open;

    public void begin() {
        if (open) {
            throw new IllegalStateException("a transaction is already open");
        }
        open = true;
        undo.clear();
    }

    public void recordUndo(Runnable undoAction) {
        if (open) {
            undo.add(undoAction);
        }
    }

    public void commit() {
        open = false;
        undo.clear();
    }

    public void rollback() {
        for (int i = undo.size() - 1; i >= 0; i--) {
            undo.get(i).run();
        }
        undo.clear();
        open = false;
    }
}
