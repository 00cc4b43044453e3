package dev.verity.protocol.state;

import dev.verity.core.Encoder;
import dev.verity.core.Hash;
import dev.verity.core.PublicKey;
import java.util.function.Consumer;

/**
 * The tables of the ledger state and their ids. A table's id is the first byte of its rows' storage keys, so it is
 * consensus (the state root hashes storage keys) and storage format at once: an id is never changed or reused, and a
 * new table takes the next one. Kept here, below the ledger, so a client builds the key of a row it wants proven
 * exactly as the ledger stores it.
 */
public enum StateTable {
    PARAMS(1, "params"),
    GLOBALS(2, "globals"),
    /**
     * Retired: the validator keys of the first single-validator chains. No row is written under this id any more
     * (the validator set is one row of {@link #VALIDATOR_SET}); the id is never reused.
     */
    VALIDATORS(3, "validators"),
    ACCOUNTS(4, "accounts"),
    NODES(5, "nodes"),
    MODELS(6, "models"),
    JOBS(7, "jobs"),
    JOB_INPUTS(8, "jobInputs"),
    JOB_OUTPUTS(9, "jobOutputs"),
    ENCLAVES(10, "enclaves"),
    QUEUE(11, "queue"),
    DEADLINES(12, "deadlines"),
    COLLATERAL(13, "collateral"),
    APPROVED_MEASUREMENTS(14, "approvedMeasurements"),
    REVOCATIONS(15, "revocations"),
    MINIMUM_TCBS(16, "minimumTcbs"),
    COUNCIL(17, "council"),
    PROGRAMS(18, "programs"),
    CLAIMS(19, "claims"),
    DISPUTES(20, "disputes"),
    VERIFICATION_TIMERS(21, "verificationTimers"),
    JOB_FAILURES(22, "jobFailures"),
    /** One row, {@code "active"}: the validator set that signs the next block (protocol.consensus.ValidatorSet). */
    VALIDATOR_SET(23, "validatorSet"),
    /** Validator stake on its way out after a leave or a slash, by validator key: the unbonding entries. */
    VALIDATOR_UNBONDING(24, "validatorUnbonding"),
    /** Equivocations already slashed, by (validator key, height), so the same evidence is never used twice. */
    EQUIVOCATIONS(25, "equivocations"),
    /** The URL each node announced for what it streams to clients ({@code SetNodeEndpoint}), by node. */
    NODE_ENDPOINTS(26, "nodeEndpoints");

    private final int id;
    private final String tableName;

    StateTable(int id, String tableName) {
        this.id = id;
        this.tableName = tableName;
    }

    /** The first byte of the table's storage keys. */
    public int id() {
        return id;
    }

    /** The table's name in the ledger and the docs ({@code jobInputs}). */
    public String tableName() {
        return tableName;
    }

    /** The storage key of a row: the table id, then the row key as {@code key} encodes it canonically. */
    public byte[] rowKey(Consumer<Encoder> key) {
        Encoder e = new Encoder(40);
        e.u8(id);
        key.accept(e);
        return e.toByteArray();
    }

    /** The storage key of a row keyed by a hash (models, jobs and their inputs, outputs, claims...). */
    public byte[] rowKey(Hash key) {
        return rowKey(e -> e.hash(key));
    }

    /** The storage key of a row keyed by a public key (accounts, nodes, enclaves, validator unbonding). */
    public byte[] rowKey(PublicKey key) {
        return rowKey(e -> e.publicKey(key));
    }
}
