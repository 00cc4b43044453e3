package dev.verity.ledger.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.core.ByteKey;
import dev.verity.core.PrivateKey;
import dev.verity.core.PublicKey;
import dev.verity.protocol.consensus.ValidatorInfo;
import dev.verity.protocol.consensus.ValidatorSet;
import dev.verity.protocol.state.StateTable;
import java.lang.reflect.Field;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
            "revocations", "minimumTcbs", "council", "programs", "claims", "disputes", "verificationTimers", "jobFailures",
            "validatorSet", "validatorUnbonding", "equivocations", "nodeEndpoints");
    /** Ids that no table of the live state uses any more, and that are never reused. */
    static final Set<String> RETIRED = Set.of("validators");

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
        Map<String, Integer> live = new LinkedHashMap<>(IDS);
        live.keySet().removeAll(RETIRED);
        assertThat(actual).containsExactlyInAnyOrderEntriesOf(live);
    }

    @Test
    void aRowOfARetiredTableNamesNoTable() {
        LedgerState state = new LedgerState();
        byte[] oldValidatorRow = StateTable.VALIDATORS.rowKey(PrivateKey.deterministic("old validator").publicKey());
        assertThat(state.checkRow(oldValidatorRow, new byte[8])).contains("names no table").contains("retired");
    }

    @Test
    void theValidatorSetIsOneRowWhoseKeyIsTheProtocolsStateKey() {
        LedgerState state = new LedgerState();
        assertThat(state.validatorSet.storageKey(LedgerState.VALIDATOR_SET_KEY).bytes()).isEqualTo(ValidatorSet.STATE_KEY)
                .startsWith(23);
        ValidatorSet set = ValidatorSet.of(List.of(new ValidatorInfo(PrivateKey.deterministic("v").publicKey(), 5, "", "")));
        state.setValidatorSet(set);
        assertThat(state.validatorSet.rows()).singleElement()
                .satisfies(r -> assertThat(state.validatorSet.storageKey(r.getKey()).bytes()).isEqualTo(ValidatorSet.STATE_KEY));
        assertThat(state.validatorSet.encodeValue(set)).isEqualTo(set.encode());
        assertThat(state.prove(new ByteKey(ValidatorSet.STATE_KEY)).value()).isEqualTo(set.encode());
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
