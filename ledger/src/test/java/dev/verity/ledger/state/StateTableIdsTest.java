package dev.verity.ledger.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The state's table ids, pinned. A table's id is the first byte of each of its stored keys and its position in the
 * state root's Merkle tree, so it is consensus and storage format at once. Ids come from the order the tables are
 * declared in {@link LedgerState}: moving, removing or inserting a table other than at the end changes them and
 * fails here; a new table is appended and added here and to docs/PROTOCOL.md on purpose.
 */
class StateTableIdsTest {
    static final Map<String, Integer> IDS = ids("params", "globals", "validators", "accounts", "nodes", "models", "jobs",
            "jobInputs", "jobOutputs", "enclaves", "queue", "deadlines", "collateral", "approvedMeasurements",
            "revocations", "minimumTcbs", "council", "programs", "claims", "disputes", "verificationTimers", "jobFailures");

    static Map<String, Integer> ids(String... names) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (String n : names) {
            m.put(n, m.size() + 1);
        }
        return m;
    }

    @Test
    void everyTableKeepsItsId() throws IllegalAccessException {
        LedgerState state = new LedgerState();
        Map<String, Integer> actual = new LinkedHashMap<>();
        for (Field f : LedgerState.class.getFields()) {
            if (f.get(state) instanceof Table<?, ?> t) {
                actual.put(t.name(), t.id());
            }
        }
        assertThat(actual).containsExactlyInAnyOrderEntriesOf(IDS);
    }
}
