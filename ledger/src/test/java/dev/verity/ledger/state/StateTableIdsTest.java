package dev.verity.ledger.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.core.PrivateKey;
import dev.verity.core.PublicKey;
import dev.verity.protocol.state.StateTable;
import java.lang.reflect.Field;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The state's table ids, pinned. A table's id is the first byte of each of its stored keys and its position in the
 * state root's Merkle tree, so it is consensus and storage format at once. Ids are written down in {@link StateTable}
 * (clients build the keys of proven rows with it), and each table of {@link LedgerState} names its own: changing or
 * reusing an id fails here; a new table takes the next id and is added here and to docs/PROTOCOL.md on purpose.
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

    @Test
    void theSharedTableListClientsBuildKeysWithHasTheSameIds() {
        Map<String, Integer> shared = new LinkedHashMap<>();
        for (StateTable t : StateTable.values()) {
            shared.put(t.tableName(), t.id());
        }
        assertThat(shared).containsExactlyEntriesOf(IDS);
        PublicKey alice = PrivateKey.deterministic("table ids").publicKey();
        assertThat(StateTable.ACCOUNTS.rowKey(alice)).isEqualTo(new LedgerState().accounts.storageKey(alice).bytes())
                .startsWith(4).hasSize(33);
    }
}
