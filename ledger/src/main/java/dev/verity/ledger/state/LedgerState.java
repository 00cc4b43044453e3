package dev.verity.ledger.state;

import dev.verity.core.Hash;
import dev.verity.core.Merkle;
import dev.verity.core.PublicKey;
import dev.verity.ledger.event.LedgerEvent;
import dev.verity.proofs.attestation.Collateral;
import dev.verity.proofs.attestation.TcbVersion;
import dev.verity.protocol.Params;
import dev.verity.protocol.governance.Council;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The whole ledger state: sorted tables, each committed by a Merkle root; the state root is the
 * Merkle root over the table roots in the fixed order below. Events of the block being executed
 * are collected here and undone with the transaction that emitted them.
 */
public final class LedgerState {
    public static final String GLOBAL_TREASURY = "treasury";
    public static final String GLOBAL_NEXT_QUEUE_SEQ = "nextQueueSeq";
    public static final String GLOBAL_HEIGHT = "height";
    /** The fee market's base price per 10^15 compute units, for the next block. */
    public static final String GLOBAL_BASE_PRICE = "basePrice";
    /** Compute units of the jobs submitted in the block being executed. */
    public static final String GLOBAL_BLOCK_COMPUTE_UNITS = "blockComputeUnits";
    /** Jobs left waiting for capacity at the end of the last block: the fee market prices the backlog's growth. */
    public static final String GLOBAL_WAITING_FOR_CAPACITY = "waitingForCapacity";
    /** The number the next governance proposal must carry (replay protection). */
    public static final String GLOBAL_NEXT_PROPOSAL = "nextProposal";
    private static final String COUNCIL_KEY = "current";
    private static final String PARAMS_KEY = "current";

    private final Journal journal = new Journal();
    private final List<Table<?, ?>> tables = new ArrayList<>();
    private final List<LedgerEvent> events = new ArrayList<>();

    public final Table<String, Params> params = table("params", Codecs.TEXT, Codecs.PARAMS);
    public final Table<String, Long> globals = table("globals", Codecs.TEXT, Codecs.U64);
    public final Table<PublicKey, Long> validators = table("validators", Codecs.KEY, Codecs.U64);
    public final Table<PublicKey, Account> accounts = table("accounts", Codecs.KEY, Codecs.ACCOUNT);
    public final Table<PublicKey, NodeRecord> nodes = table("nodes", Codecs.KEY, Codecs.NODE);
    public final Table<Hash, ModelRecord> models = table("models", Codecs.HASH, Codecs.MODEL);
    public final Table<Hash, JobRecord> jobs = table("jobs", Codecs.HASH, Codecs.JOB);
    public final Table<Hash, byte[]> jobInputs = table("jobInputs", Codecs.HASH, Codecs.BLOB);
    public final Table<Hash, byte[]> jobOutputs = table("jobOutputs", Codecs.HASH, Codecs.BLOB);
    public final Table<PublicKey, EnclaveRecord> enclaves = table("enclaves", Codecs.KEY, Codecs.ENCLAVE);
    public final Table<QueueKey, Hash> queue = table("queue", Codecs.QUEUE_KEY, Codecs.HASH);
    public final Table<DeadlineKey, Long> deadlines = table("deadlines", Codecs.DEADLINE, Codecs.U64);
    public final Table<Hash, Collateral> collateral = table("collateral", Codecs.HASH, Codecs.COLLATERAL);
    public final Table<MeasurementKey, String> approvedMeasurements =
            table("approvedMeasurements", Codecs.MEASUREMENT_KEY, Codecs.TEXT);
    public final Table<Hash, RevocationRecord> revocations = table("revocations", Codecs.HASH, Codecs.REVOCATION);
    /** Keyed by {@link dev.verity.proofs.attestation.TeeType#code()}. */
    public final Table<Long, TcbVersion> minimumTcbs = table("minimumTcbs", Codecs.U64, Codecs.TCB);
    public final Table<String, Council> council = table("council", Codecs.TEXT, Codecs.COUNCIL);
    /** Integer programs of models that may be served in the provable modes, by model id. */
    public final Table<Hash, ProgramRecord> programs = table("programs", Codecs.HASH, VerificationCodecs.PROGRAM);
    /** Provable results waiting for their window, audit or dispute, by job. */
    public final Table<Hash, ResultClaim> claims = table("claims", Codecs.HASH, VerificationCodecs.CLAIM);
    /** Running bisection games, by job. */
    public final Table<Hash, DisputeRecord> disputes = table("disputes", Codecs.HASH, VerificationCodecs.DISPUTE);
    /** Deadlines of claims and disputes, looked at the end of the block of their height. */
    public final Table<TimerKey, Long> verificationTimers = table("verificationTimers", VerificationCodecs.TIMER, Codecs.U64);
    /** Why a FAILED job failed: its node's report, by job. */
    public final Table<Hash, JobFailure> jobFailures = table("jobFailures", Codecs.HASH, Codecs.JOB_FAILURE);

    private <K extends Comparable<K>, V> Table<K, V> table(String name, Codec<K> k, Codec<V> v) {
        Table<K, V> t = new Table<>(name, tables.size() + 1, k, v, journal);
        tables.add(t);
        return t;
    }

    public Journal journal() {
        return journal;
    }

    public Params params() {
        return params.get(PARAMS_KEY);
    }

    public void setParams(Params p) {
        params.put(PARAMS_KEY, p);
    }

    public Council council() {
        return council.get(COUNCIL_KEY);
    }

    public void setCouncil(Council c) {
        council.put(COUNCIL_KEY, c);
    }

    public long global(String name) {
        Long v = globals.get(name);
        return v == null ? 0 : v;
    }

    public void setGlobal(String name, long value) {
        globals.put(name, value);
    }

    public long height() {
        return global(GLOBAL_HEIGHT);
    }

    public Account account(PublicKey key) {
        Account a = accounts.get(key);
        return a == null ? Account.EMPTY : a;
    }

    public void emit(LedgerEvent event) {
        int size = events.size();
        events.add(event);
        journal.recordUndo(() -> events.subList(size, events.size()).clear());
    }

    /** Events emitted since the last drain, in order. */
    public List<LedgerEvent> drainEvents() {
        List<LedgerEvent> out = List.copyOf(events);
        events.clear();
        return out;
    }

    public Hash root() {
        List<Hash> roots = new ArrayList<>(tables.size());
        for (Table<?, ?> t : tables) {
            roots.add(t.root());
        }
        return Merkle.root(roots);
    }

    /** Hands every row written since the last call to {@code sink}, as storage key and value (null = deleted). */
    public void drainChanges(BiConsumer<byte[], byte[]> sink) {
        for (Table<?, ?> t : tables) {
            t.drainChanges(sink);
        }
    }

    /** Loads one row written by {@link #drainChanges}; used when a node restarts from its data directory. */
    public void load(byte[] storageKey, byte[] value) {
        if (storageKey.length == 0) {
            throw new IllegalArgumentException("empty state key");
        }
        int id = storageKey[0] & 0xFF;
        if (id < 1 || id > tables.size()) {
            throw new IllegalArgumentException("state key for unknown table " + id);
        }
        tables.get(id - 1).load(storageKey, value);
    }

    /**
     * For a state that is neither stored nor committed block by block (a simulation that applies transactions and
     * ends blocks without computing their state roots): stops recording which rows changed since the last root
     * and the last drain, which would otherwise grow with every write. Nothing else changes: transactions apply
     * and roll back as before, {@link #root()} stays correct (it then hashes every row each time it is called),
     * and {@link #drainChanges} is refused.
     */
    public void stopTrackingChanges() {
        for (Table<?, ?> t : tables) {
            t.stopTracking();
        }
    }

    /** After loading, nothing is pending for storage. */
    public void markPersisted() {
        drainChanges((k, v) -> { });
    }
}
