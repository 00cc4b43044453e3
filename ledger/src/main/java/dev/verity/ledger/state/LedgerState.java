package dev.verity.ledger.state;

import dev.verity.core.ByteKey;
import dev.verity.core.Hash;
import dev.verity.core.PublicKey;
import dev.verity.core.Sha256;
import dev.verity.ledger.event.LedgerEvent;
import dev.verity.proofs.attestation.Collateral;
import dev.verity.proofs.attestation.TcbVersion;
import dev.verity.protocol.Params;
import dev.verity.protocol.consensus.ValidatorSet;
import dev.verity.protocol.governance.Council;
import dev.verity.protocol.state.StateProof;
import dev.verity.protocol.state.StateTable;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The live ledger state: tables of rows stored in a {@link StateBackend} behind a cache, with the rows a block is
 * changing held in each table's overlay until {@link #drainChanges} hands them to whoever stores them. The state
 * root is the root of one authenticated trie over every row ({@link StateTrie}): key path SHA-256 of the storage key
 * (table id, then the encoded key), value hash SHA-256 of the encoded value. A block re-hashes only the paths of
 * the rows it changed. Events of the block being executed, and the jobs it retired, are collected here and undone
 * with the transaction that produced them.
 *
 * <p>Finished jobs leave the live state ({@link JobRetirement}): they live on in block history and in the archive
 * the validator keeps from {@link #drainRetired}.
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
    /** The key of the validator set's one row: its storage key is {@link ValidatorSet#STATE_KEY}. */
    public static final String VALIDATOR_SET_KEY = "active";
    private static final ValidatorSet NO_VALIDATORS = new ValidatorSet(List.of());

    /** Decoded committed rows kept by default. */
    public static final int DEFAULT_CACHE_ROWS = 100_000;

    private final Journal journal = new Journal();
    /** By id, from 1; null at a retired id ({@link StateTable#VALIDATORS}). */
    private final List<Table<?, ?>> tables = new ArrayList<>();
    private final JournaledLog<LedgerEvent> events = new JournaledLog<>(journal);
    private final JournaledLog<RetiredJob> retired = new JournaledLog<>(journal);
    private final StateBackend backend;
    private final BoundedCache<ByteKey, Object> cache;
    private final StateTrie trie;
    /** False for a simulation that never commits to its state: nothing is hashed and {@link #root()} is refused. */
    private final boolean rooted;
    /** The parameters as last read, read by nearly every rule; forgotten whenever the params table is written or undone. */
    private Params paramsRead;
    /** Storage keys written since the last root, to re-hash into the trie (sorted by key path there). */
    private final LinkedHashSet<ByteKey> unhashed = new LinkedHashSet<>();

    public final Table<String, Params> params = table(StateTable.PARAMS, Codecs.TEXT, Codecs.PARAMS);
    public final Table<String, Long> globals = table(StateTable.GLOBALS, Codecs.TEXT, Codecs.U64);
    {
        // Id 3 (StateTable.VALIDATORS) is retired: the validator set is the one row of validatorSet. Initializers run
        // in the order written, so this keeps its place between globals (2) and accounts (4).
        retired(StateTable.VALIDATORS);
    }
    public final Table<PublicKey, Account> accounts = table(StateTable.ACCOUNTS, Codecs.KEY, Codecs.ACCOUNT);
    public final Table<PublicKey, NodeRecord> nodes = table(StateTable.NODES, Codecs.KEY, Codecs.NODE);
    public final Table<Hash, ModelRecord> models = table(StateTable.MODELS, Codecs.HASH, Codecs.MODEL);
    public final Table<Hash, JobRecord> jobs = table(StateTable.JOBS, Codecs.HASH, Codecs.JOB);
    public final Table<Hash, byte[]> jobInputs = table(StateTable.JOB_INPUTS, Codecs.HASH, Codecs.BLOB);
    public final Table<Hash, byte[]> jobOutputs = table(StateTable.JOB_OUTPUTS, Codecs.HASH, Codecs.BLOB);
    public final Table<PublicKey, EnclaveRecord> enclaves = table(StateTable.ENCLAVES, Codecs.KEY, Codecs.ENCLAVE);
    public final Table<QueueKey, Hash> queue = table(StateTable.QUEUE, Codecs.QUEUE_KEY, Codecs.HASH);
    public final Table<DeadlineKey, Long> deadlines = table(StateTable.DEADLINES, Codecs.DEADLINE, Codecs.U64);
    public final Table<Hash, Collateral> collateral = table(StateTable.COLLATERAL, Codecs.HASH, Codecs.COLLATERAL);
    public final Table<MeasurementKey, String> approvedMeasurements =
            table(StateTable.APPROVED_MEASUREMENTS, Codecs.MEASUREMENT_KEY, Codecs.TEXT);
    public final Table<Hash, RevocationRecord> revocations = table(StateTable.REVOCATIONS, Codecs.HASH, Codecs.REVOCATION);
    /** Keyed by {@link dev.verity.proofs.attestation.TeeType#code()}. */
    public final Table<Long, TcbVersion> minimumTcbs = table(StateTable.MINIMUM_TCBS, Codecs.U64, Codecs.TCB);
    public final Table<String, Council> council = table(StateTable.COUNCIL, Codecs.TEXT, Codecs.COUNCIL);
    /** Integer programs of models that may be served in the provable modes, by model id. */
    public final Table<Hash, ProgramRecord> programs = table(StateTable.PROGRAMS, Codecs.HASH, VerificationCodecs.PROGRAM);
    /** Provable results waiting for their window, audit or dispute, by job. */
    public final Table<Hash, ResultClaim> claims = table(StateTable.CLAIMS, Codecs.HASH, VerificationCodecs.CLAIM);
    /** Running bisection games, by job. */
    public final Table<Hash, DisputeRecord> disputes = table(StateTable.DISPUTES, Codecs.HASH, VerificationCodecs.DISPUTE);
    /** Deadlines of claims and disputes, looked at the end of the block of their height. */
    public final Table<TimerKey, Long> verificationTimers =
            table(StateTable.VERIFICATION_TIMERS, VerificationCodecs.TIMER, Codecs.U64);
    /** Why a FAILED job failed: its node's report, by job. */
    public final Table<Hash, JobFailure> jobFailures = table(StateTable.JOB_FAILURES, Codecs.HASH, Codecs.JOB_FAILURE);
    /** One row, {@link #VALIDATOR_SET_KEY}: the validators that sign the next block ({@link #validatorSet()}). */
    public final Table<String, ValidatorSet> validatorSet = table(StateTable.VALIDATOR_SET, Codecs.TEXT, Codecs.VALIDATOR_SET);
    /** Validator stake unbonding after a leave or a removal, by validator. */
    public final Table<PublicKey, ValidatorUnbonding> validatorUnbonding =
            table(StateTable.VALIDATOR_UNBONDING, Codecs.KEY, Codecs.VALIDATOR_UNBONDING);
    /** Equivocations slashed, by validator and height: the same evidence is never used twice. */
    public final Table<EquivocationKey, EquivocationRecord> equivocations =
            table(StateTable.EQUIVOCATIONS, Codecs.EQUIVOCATION_KEY, Codecs.EQUIVOCATION);
    /** The URL each node serves its token streams at, by node; absent when it announced none. */
    public final Table<PublicKey, String> nodeEndpoints = table(StateTable.NODE_ENDPOINTS, Codecs.KEY, Codecs.TEXT);

    private <K extends Comparable<K>, V> Table<K, V> table(StateTable id, Codec<K> k, Codec<V> v) {
        if (id.id() != tables.size() + 1) {
            // tableOf finds a table by its id's position: declare them in id order.
            throw new IllegalStateException("table " + id.tableName() + " has id " + id.id() + " but is declared "
                    + (tables.size() + 1) + "th");
        }
        Table<K, V> t = new Table<>(id, k, v, this);
        tables.add(t);
        return t;
    }

    /** Keeps the place of a retired table id: no table is declared there, and a row under it names no table. */
    private void retired(StateTable id) {
        if (id.id() != tables.size() + 1) {
            throw new IllegalStateException("retired table " + id.tableName() + " has id " + id.id() + " but is declared "
                    + (tables.size() + 1) + "th");
        }
        tables.add(null);
    }

    /** A state over an empty memory backend: a new chain, a simulation or a test. */
    public LedgerState() {
        this(new MemoryBackend(), DEFAULT_CACHE_ROWS);
    }

    /** A state over {@code backend}, which holds the committed rows and trie (empty for a new chain). */
    public LedgerState(StateBackend backend, int cacheRows) {
        this(backend, cacheRows, true);
    }

    private LedgerState(StateBackend backend, int cacheRows, boolean rooted) {
        this.backend = backend;
        this.cache = new BoundedCache<>(cacheRows);
        this.trie = new StateTrie(backend);
        this.rooted = rooted;
    }

    /**
     * A state for a simulation that applies transactions and ends blocks but never commits to a state root: rows
     * drained into {@code backend} each block keep it bounded, and no trie is kept ({@link #root()} is refused).
     * Everything else (application, refusal, undo) behaves exactly as in a rooted state.
     */
    public static LedgerState unrooted(MemoryBackend backend) {
        return new LedgerState(backend, DEFAULT_CACHE_ROWS, false);
    }

    StateBackend backend() {
        return backend;
    }

    BoundedCache<ByteKey, Object> cache() {
        return cache;
    }

    void changed(ByteKey storageKey) {
        if (storageKey.raw()[0] == params.id()) {
            paramsRead = null;
        }
        if (rooted) {
            unhashed.add(storageKey);
        }
    }

    public Journal journal() {
        return journal;
    }

    public Params params() {
        Params p = paramsRead;
        if (p == null) {
            p = params.get(PARAMS_KEY);
            paramsRead = p;
        }
        return p;
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

    /** The validator set that signs the next block: the set stored after block h signs block h + 1. */
    public ValidatorSet validatorSet() {
        ValidatorSet v = validatorSet.get(VALIDATOR_SET_KEY);
        return v == null ? NO_VALIDATORS : v;
    }

    public void setValidatorSet(ValidatorSet set) {
        validatorSet.put(VALIDATOR_SET_KEY, set);
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
        events.add(event);
    }

    /** Events emitted since the last drain, in order. */
    public List<LedgerEvent> drainEvents() {
        return events.drain();
    }

    /**
     * The state root: the trie root after re-hashing every row written since the last call. Cheap when nothing
     * changed; otherwise it costs the changed rows times the depth of the trie.
     */
    public Hash root() {
        if (!rooted) {
            throw new IllegalStateException("this state is a simulation's: it keeps no trie and has no root");
        }
        if (!unhashed.isEmpty()) {
            trie.update(hashChanges());
            unhashed.clear();
        }
        return trie.root();
    }

    /** The changed rows as trie leaves (key path, value hash or null when deleted), in ascending key path order. */
    private TrieChange[] hashChanges() {
        TrieChange[] changes = new TrieChange[unhashed.size()];
        MessageDigest md = Sha256.newDigest();
        int i = 0;
        for (ByteKey sk : unhashed) {
            byte[] value = tableOf(sk).writtenBytes(sk);
            md.update(sk.raw());
            byte[] keyPath = md.digest();
            Hash valueHash = null;
            if (value != null) {
                md.update(value);
                valueHash = Sha256.finish(md);
            }
            changes[i++] = new TrieChange(keyPath, valueHash);
        }
        Arrays.sort(changes);
        return changes;
    }

    /** A proof that the row at {@code storageKey} holds its current value, or is absent, against {@link #root()}. */
    public StateProof prove(ByteKey storageKey) {
        Hash root = root();
        byte[] value = tableOf(storageKey).writtenBytes(storageKey);
        return new StateProof(root, storageKey.bytes(), value, trie.prove(Sha256.digest(storageKey.bytes())));
    }

    private Table<?, ?> tableOf(ByteKey storageKey) {
        int id = storageKey.length() == 0 ? 0 : storageKey.raw()[0] & 0xFF;
        Table<?, ?> t = id < 1 || id > tables.size() ? null : tables.get(id - 1);
        if (t == null) {
            throw new IllegalArgumentException("state key " + storageKey + " names no table"
                    + (id >= 1 && id <= tables.size() ? " (table id " + id + " is retired)" : ""));
        }
        return t;
    }

    /**
     * Hands every row and trie node written since the last call to {@code sink} (value null = deleted), after
     * bringing the root up to date, and forgets them: from now on they are read from the backend, which the
     * caller must have updated with these writes before the next read.
     */
    public void drainChanges(StateSink sink) {
        if (rooted) {
            root();
        }
        for (Table<?, ?> t : tables) {
            if (t != null) {
                t.drain(sink);
            }
        }
        if (rooted) {
            trie.drain(sink);
        }
    }

    /** Why a stored row does not decode as a row of its table, or null when it does. */
    String checkRow(byte[] key, byte[] value) {
        try {
            tableOf(new ByteKey(key)).checkRow(key, value);
            return null;
        } catch (RuntimeException e) {
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
    }

    /** Records a job that left the live state in this block; undone with the transaction that retired it. */
    void retire(RetiredJob job) {
        retired.add(job);
    }

    /** The jobs retired since the last call, in order: the validator archives them for its API. */
    public List<RetiredJob> drainRetired() {
        return retired.drain();
    }

    /** Decoded rows held in the cache now; for metrics. */
    public int cachedRows() {
        return cache.size();
    }
}
