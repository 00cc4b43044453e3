package dev.verity.validator.chain;

import dev.verity.core.ByteKey;
import dev.verity.core.Decoder;
import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.ledger.BlockContext;
import dev.verity.ledger.Genesis;
import dev.verity.ledger.Ledger;
import dev.verity.ledger.RejectCode;
import dev.verity.ledger.TransactionRejectedException;
import dev.verity.ledger.block.Block;
import dev.verity.ledger.block.BlockExecution;
import dev.verity.ledger.event.LedgerEvent;
import dev.verity.ledger.evidence.EvidenceVerifiers;
import dev.verity.ledger.rules.FeeMarket;
import dev.verity.ledger.state.Codecs;
import dev.verity.ledger.state.CorruptStateException;
import dev.verity.ledger.state.LedgerState;
import dev.verity.ledger.state.RetiredJob;
import dev.verity.protocol.block.BlockHeader;
import dev.verity.protocol.consensus.FinalityCertificate;
import dev.verity.protocol.consensus.FinalityVote;
import dev.verity.protocol.consensus.SignedVote;
import dev.verity.protocol.consensus.ValidatorSet;
import dev.verity.protocol.tx.SignedTransaction;
import dev.verity.protocol.tx.TransactionCodec;
import dev.verity.sdk.api.EventView;
import dev.verity.sdk.api.StatusView;
import dev.verity.sdk.api.TransactionReceipt;
import dev.verity.validator.storage.ArchiveWrite;
import dev.verity.validator.storage.BlockCommit;
import dev.verity.validator.storage.ChainStore;
import dev.verity.validator.storage.CorruptStoreException;
import dev.verity.validator.storage.EventWrite;
import dev.verity.validator.storage.FinalityWrite;
import dev.verity.validator.storage.Retention;
import dev.verity.validator.storage.RocksStateBackend;
import dev.verity.validator.storage.StoreFaults;
import dev.verity.validator.storage.StoredRefusal;
import dev.verity.validator.storage.TxLocation;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A validator node's chain: the ledger in memory, RocksDB underneath, the mempool in front.
 *
 * <p>Durability: a transaction is acknowledged only after it is synced into the stored mempool; a
 * block, its state changes, events and indexes are committed in one synced batch. After a crash
 * the node reloads the committed state and the stored mempool, so nothing acknowledged is lost.
 * Height 0 of the store holds the genesis document.
 *
 * <p>History: an archive node keeps every block; a pruned one ({@link NodeConfig#retainBlocks()}) keeps its newest
 * blocks with their transactions, refusals, events and the jobs that finished in them, and deletes older ones in the
 * commits of new blocks. The live state is whole in both. Reads of deleted history throw {@link HistoryPrunedException}.
 *
 * <p>Admission: a transaction is dry-run on the committed state with what its sender's pending
 * transactions already take from the balance set aside, so everything acknowledged can apply in
 * order in the next blocks unless the state moves under it by another path. A transaction refused
 * later (in its block, or when the stored mempool is reloaded) leaves the stored mempool in the same
 * synced batch that stores its refusal, which its receipt answers until the store's bound on kept
 * refusals ({@link ChainStore#DEFAULT_MAX_REFUSALS}, the newest) lets it go.
 *
 * <p>Fail-stop: when a write fails (a block commit on a full disk leaves memory ahead of disk) the node halts at once:
 * it refuses every transaction, every read of the in-memory state and every block with {@link NodeHaltedException},
 * reports the cause through {@link #failure()} (for a readiness check) and tells its halt listeners
 * ({@link #onHalt}), so the process can exit and restart from the last committed block. Reads that come from the
 * store itself (blocks, events, receipts) keep answering: they only ever show committed data.
 */
public final class ChainNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChainNode.class);

    private final ReentrantLock lock = new ReentrantLock();
    private final NodeConfig config;
    private final ChainStore store;
    private final Genesis genesis;
    /** Replaced only when a snapshot is installed ({@link #installSnapshot}). */
    private Ledger ledger;
    private Mempool mempool;
    private final PrivateKey validatorKey;
    private final List<BlockListener> listeners = new CopyOnWriteArrayList<>();
    private long headHeight;
    private Hash headHash;
    private long headTimestamp;
    /** The head block's header (null at genesis), for proofs against the state it commits to. */
    private BlockHeader headHeader;
    private volatile String failure;
    private final List<Consumer<String>> haltListeners = new CopyOnWriteArrayList<>();
    private Finality finality;
    private final VoteSigner voteSigner;
    /** Where admitted transactions go when the chain is replicated (through the log); null: straight into the mempool. */
    private volatile Function<byte[], Hash> replicatedSubmit;

    private ChainNode(NodeConfig config, ChainStore store, Genesis genesis, Ledger ledger, PrivateKey validatorKey) {
        this.config = config;
        this.store = store;
        this.genesis = genesis;
        this.ledger = ledger;
        this.validatorKey = validatorKey;
        this.mempool = new Mempool(config.mempoolCapacity());
        this.voteSigner = new VoteSigner(config.dataDir(), validatorKey);
    }

    /**
     * Opens the node's data directory: a new one starts from {@code genesis}; an existing one
     * reloads its committed state (and must have been started from the same genesis).
     */
    public static ChainNode open(NodeConfig config, Genesis genesis, PrivateKey validatorKey) {
        return open(config, genesis, validatorKey, false, StoreFaults.NONE);
    }

    /**
     * As {@link #open(NodeConfig, Genesis, PrivateKey)}, with the store's write-ahead log policy and fault layer.
     *
     * @param acceptWalLoss start even when the write-ahead log is damaged, keeping what precedes the damage (see
     *                      {@link ChainStore#open(java.nio.file.Path, int, boolean, StoreFaults)}); false refuses to start
     * @param faults        {@link StoreFaults#NONE}, or a fault layer for tests
     */
    public static ChainNode open(NodeConfig config, Genesis genesis, PrivateKey validatorKey, boolean acceptWalLoss,
                                 StoreFaults faults) {
        ChainStore store = ChainStore.open(config.dataDir(), ChainStore.DEFAULT_MAX_REFUSALS, acceptWalLoss, faults);
        try {
            Optional<byte[]> stored = store.meta(ChainStore.META_GENESIS);
            Genesis g = stored.map(Genesis::decode).orElse(null);
            if (g != null && genesis != null && !g.hash().equals(genesis.hash())) {
                throw new IllegalStateException("data directory " + config.dataDir() + " belongs to another chain (genesis "
                        + g.hash().hex() + ")");
            }
            // Only once the directory is known to hold this chain: turning it pruned deletes history.
            retain(config, store);
            return g == null ? startFresh(config, store, genesis, validatorKey) : restore(config, store, g, validatorKey);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /**
     * Makes the store keep what the config asks (see {@link ChainStore#retain}); refuses to run a store that deleted
     * history as an archive, which must hold every block.
     */
    private static void retain(NodeConfig config, ChainStore store) {
        Retention stored = store.retention();
        if (config.retainBlocks() == Retention.ARCHIVE && stored.hasPruned()) {
            throw new IllegalStateException("data directory " + config.dataDir() + " holds a pruned chain: it ran keeping the "
                    + "newest " + stored.retainBlocks() + " blocks and deleted the history below height " + stored.lowestHeight()
                    + ", so it cannot serve as an archive validator, which keeps every block from genesis. Start it pruned "
                    + "(--retain-blocks N, any N), or run the archive validator on a fresh data directory, or on a copy of an "
                    + "archive validator's data directory");
        }
        if (config.retainBlocks() != stored.retainBlocks()) {
            LOG.info("data directory {}: keeping {} (it kept {})", config.dataDir(), describe(config.retainBlocks()),
                    describe(stored.retainBlocks()));
        }
        store.retain(config.retainBlocks(), BlockHistoryKeys.INSTANCE);
    }

    private static String describe(long retainBlocks) {
        return retainBlocks == Retention.ARCHIVE ? "every block (archive)" : "the newest " + retainBlocks + " blocks (pruned)";
    }

    /** Opens an existing data directory with the genesis it stores. */
    public static ChainNode open(NodeConfig config, PrivateKey validatorKey) {
        return open(config, null, validatorKey);
    }

    private static ChainNode startFresh(NodeConfig config, ChainStore store, Genesis genesis, PrivateKey key) {
        if (genesis == null) {
            throw new IllegalStateException("data directory " + config.dataDir() + " holds no chain; give a genesis to start one");
        }
        Ledger ledger = Ledger.fromGenesis(genesis, EvidenceVerifiers.standard(),
                new LedgerState(new RocksStateBackend(store), config.stateCacheRows()));
        TreeMap<ByteKey, byte[]> writes = new TreeMap<>();
        ledger.state().drainChanges((k, v) -> writes.put(ByteKey.of(k), v));
        byte[] encoded = genesis.encode();
        store.putMeta(ChainStore.META_GENESIS, encoded);
        store.commitBlock(new BlockCommit(0, genesis.hash().bytes(), encoded, List.of(), writes, List.of(), null));
        ChainNode node = new ChainNode(config, store, genesis, ledger, key);
        node.headHeight = 0;
        node.headHash = genesis.hash();
        node.headTimestamp = genesis.timestampMillis();
        node.finality = new Finality(store, genesis.chainId(), 0);
        LOG.info("started chain {} from genesis {}", genesis.chainId(), genesis.hash().hex());
        return node;
    }

    private static ChainNode restore(NodeConfig config, ChainStore store, Genesis genesis, PrivateKey key) {
        // Nothing is loaded: rows and trie nodes are read from the store as blocks need them.
        LedgerState state = new LedgerState(new RocksStateBackend(store), config.stateCacheRows());
        Ledger ledger = Ledger.restore(genesis, state);
        ChainNode node = new ChainNode(config, store, genesis, ledger, key);
        node.headHeight = store.headHeight();
        if (node.headHeight == 0) {
            node.headHash = genesis.hash();
            node.headTimestamp = genesis.timestampMillis();
        } else {
            Block head = readBlock(config, store, node.headHeight);
            node.headHash = head.hash();
            node.headTimestamp = head.header().timestampMillis();
            node.headHeader = head.header();
            Hash root = state.root();
            if (!root.equals(head.header().stateRoot())) {
                throw new IllegalStateException("data directory " + config.dataDir() + ": stored state root " + root.hex()
                        + " differs from block " + node.headHeight + " root " + head.header().stateRoot().hex()
                        + "; run `verity chain verify --data-dir " + config.dataDir() + "`, then restore the directory from a "
                        + "backup or re-sync it");
            }
        }
        node.finality = new Finality(store, genesis.chainId(), node.headHeight);
        node.reloadMempool();
        LOG.info("restored chain {} at height {} with {} pending transactions", genesis.chainId(), node.headHeight,
                node.mempool.size());
        return node;
    }

    private static Block readBlock(NodeConfig config, ChainStore store, long height) {
        byte[] bytes = store.block(height).orElseThrow(
                () -> CorruptStoreException.block(config.dataDir(), height, "the head names it but it is not stored", null));
        try {
            return Block.decode(bytes);
        } catch (RuntimeException e) {
            throw CorruptStoreException.block(config.dataDir(), height, why(e), e);
        }
    }

    private static String why(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /**
     * Reads one stored mempool entry: the transaction must decode and its hash must be the entry's key.
     *
     * @throws CorruptStoreException naming the data directory and the entry otherwise
     */
    static SignedTransaction readMempoolEntry(java.nio.file.Path dataDir, byte[] key, byte[] bytes) {
        SignedTransaction tx;
        try {
            tx = TransactionCodec.decode(bytes);
        } catch (RuntimeException e) {
            throw CorruptStoreException.mempoolEntry(dataDir, HexFormat.of().formatHex(key), why(e), e);
        }
        if (!java.util.Arrays.equals(tx.hash().bytes(), key)) {
            throw CorruptStoreException.mempoolEntry(dataDir, HexFormat.of().formatHex(key),
                    "it holds transaction " + tx.hash().hex() + ", not the one its key names", null);
        }
        return tx;
    }

    /**
     * Re-admits the stored mempool in arrival order, as {@link #submit} would; drops what no longer applies
     * (already included, stale nonce, more than the balance leaves) and stores its refusal in one synced batch.
     */
    private void reloadMempool() {
        List<StoredRefusal> dropped = new ArrayList<>();
        for (ChainStore.MempoolEntry entry : store.mempoolEntries()) {
            SignedTransaction tx = readMempoolEntry(config.dataDir(), entry.txHash(), entry.txBytes());
            try {
                if (store.transaction(tx.hash().bytes()).isPresent()) {
                    throw new TransactionRejectedException(RejectCode.BAD_NONCE, "already included");
                }
                ledger.checkStateless(tx);
                mempool.add(tx, dryRunAfterPending(tx));
            } catch (TransactionRejectedException e) {
                dropped.add(new StoredRefusal(tx.hash().bytes(), headHeight, e.code().name(), e.getMessage()));
                LOG.warn("dropped stored transaction {}: {}", tx.hash().hex(), e.getMessage());
            }
        }
        store.refuse(dropped);
    }

    /**
     * Dry-runs a transaction on the committed state as the next one of its sender after its pending
     * transactions, with what they take from the balance set aside; returns what it takes itself.
     */
    private long dryRunAfterPending(SignedTransaction tx) {
        Mempool.Held held = mempool.held(tx.body().sender());
        return ledger.dryRun(tx, nextContext(), expectedNonce(tx), held.amount(), held.transactions());
    }

    private long expectedNonce(SignedTransaction tx) {
        long pending = mempool.pendingNextNonce(tx.body().sender());
        return pending >= 0 ? pending : ledger.state().account(tx.body().sender()).nonce();
    }

    private BlockContext nextContext() {
        return new BlockContext(headHeight + 1, headHash, Math.max(headTimestamp, System.currentTimeMillis()),
                validatorKey.publicKey());
    }

    /**
     * Why the node halted, if it did: a write failed and the node accepts nothing until it is restarted. Empty while
     * the node is healthy. For a readiness check ({@code /readyz}).
     */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    /** True until the node halts after a storage failure; see {@link #failure()}. */
    public boolean isHealthy() {
        return failure == null;
    }

    /**
     * Calls {@code listener} with the reason once the node halts (at once, on the calling thread, if it already has).
     * The listener runs outside the chain lock; a validator process exits from it.
     */
    public void onHalt(Consumer<String> listener) {
        haltListeners.add(listener);
        String f = failure;
        if (f != null) {
            listener.accept(f);
        }
    }

    /** Halts the node (first reason wins) and returns the exception that callers see from now on. */
    private NodeHaltedException halt(String reason, Throwable cause) {
        boolean first;
        synchronized (haltListeners) {
            first = failure == null;
            if (first) {
                failure = reason;
            }
        }
        if (first) {
            LOG.error("NODE HALTED: {}; it refuses every transaction and read of its state until it is restarted from {}",
                    reason, config.dataDir(), cause);
        }
        return new NodeHaltedException(failure);
    }

    private void notifyHalted() {
        String f = failure;
        if (f == null) return;
        for (Consumer<String> l : haltListeners) {
            try {
                l.accept(f);
            } catch (RuntimeException e) {
                LOG.warn("halt listener failed", e);
            }
        }
    }

    private void requireRunning() {
        String f = failure;
        if (f != null) {
            throw new NodeHaltedException(f);
        }
    }

    public void addListener(BlockListener l) {
        listeners.add(l);
    }

    public void removeListener(BlockListener l) {
        listeners.remove(l);
    }

    public Genesis genesis() {
        return genesis;
    }

    public NodeConfig config() {
        return config;
    }

    /**
     * Admits a transaction: decodes it, checks signature, nonce order and that it would apply now after
     * its sender's pending transactions (what they take from the balance is set aside; their credits are not
     * counted), and syncs it to the stored mempool. Returns its hash once it is durable (acknowledged).
     */
    public Hash submit(byte[] bytes) {
        requireRunning();
        SignedTransaction tx = ledger.decodeAndCheck(bytes);
        Function<byte[], Hash> replicated = replicatedSubmit;
        return replicated == null ? admit(tx) : replicated.apply(tx.encoded());
    }

    /**
     * Sends admitted transactions through {@code route} (the replicated log, which calls {@link #admit} on every
     * validator in one order) instead of straight into this node's mempool.
     */
    public void routeSubmissions(Function<byte[], Hash> route) {
        this.replicatedSubmit = route;
    }

    /** Decodes, checks and admits a transaction into this node's mempool: what a replicated log entry carries. */
    public Hash admit(byte[] bytes) {
        requireRunning();
        return admit(ledger.decodeAndCheck(bytes));
    }

    /**
     * Admits a transaction that passed {@link Ledger#decodeAndCheck} into the mempool: the checks of {@link #submit}
     * after decoding. A replicated chain calls it from its log, in log order.
     */
    public Hash admit(SignedTransaction tx) {
        requireRunning();
        NodeHaltedException halted = null;
        lock.lock();
        try {
            requireRunning();
            if (mempool.contains(tx.hash()) || store.transaction(tx.hash().bytes()).isPresent()) {
                throw new TransactionRejectedException(RejectCode.BAD_NONCE,
                        "transaction " + tx.hash().hex() + " was already submitted (a replay?)");
            }
            if (mempool.full()) {
                throw new TransactionRejectedException(RejectCode.MEMPOOL_FULL,
                        "the mempool is full (" + config.mempoolCapacity() + " transactions); retry after the next block");
            }
            long debit = dryRunAfterPending(tx);
            try {
                store.putMempool(tx.hash().bytes(), tx.encoded());
            } catch (RuntimeException e) {
                // Not acknowledged; but a store that cannot write cannot commit blocks either: stop now.
                halted = halt("could not store transaction " + tx.hash().hex() + " in the mempool of " + config.dataDir()
                        + ": " + why(e), e);
            }
            if (halted == null) {
                mempool.add(tx, debit);
                return tx.hash();
            }
        } finally {
            lock.unlock();
        }
        notifyHalted();
        throw halted;
    }

    /**
     * Produces, commits and announces the next block as the only validator; returns it.
     *
     * @throws NodeHaltedException when the block cannot be committed (the node halts) or the node already halted
     */
    public Block produceBlock() {
        Block block = applyProposal(propose(), null)
                .orElseThrow(() -> new IllegalStateException("this node's own proposal was ignored"));
        castVote(block).ifPresent(vote -> applyVote(vote, null));
        return block;
    }

    /**
     * This validator's signed vote for a block it executed, durable before it is returned ({@link VoteSigner}); empty
     * when it does not sign that height or already signed it differently.
     */
    public Optional<SignedVote> castVote(Block block) {
        FinalityVote vote = voteFor(block);
        Optional<ValidatorSet> set = signingSet(block.height());
        if (set.isEmpty() || !set.get().contains(validatorKey.publicKey())) {
            return Optional.empty();
        }
        return voteSigner.sign(vote);
    }

    /** Signs this validator's votes, at most one per height. */
    public VoteSigner voteSigner() {
        return voteSigner;
    }

    /** The next block as this validator proposes it: the head's successor, now, with the mempool's first transactions. */
    public Proposal propose() {
        lock.lock();
        try {
            requireRunning();
            return Proposal.sign(genesis.chainId(), headHeight + 1, headHash, Math.max(headTimestamp, System.currentTimeMillis()),
                    validatorKey, mempool.take(config.maxTransactionsPerBlock()));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Executes a proposal on top of the head, commits and announces the block; empty when the proposal does not follow
     * the head (a stale or duplicate proposal: the log may order one from a deposed leader), goes back in time, or is not
     * signed by a validator. Candidates that no longer apply are left out of the block and their refusal stored.
     *
     * @param applied the replicated log's position this block completes (stored in its commit), or null
     * @throws NodeHaltedException when the block cannot be committed (the node halts) or the node already halted
     */
    public Optional<Block> applyProposal(Proposal proposal, byte[] applied) {
        requireRunning();
        Block block = null;
        List<EventView> views = null;
        NodeHaltedException halted = null;
        List<RejectCode> refusedCodes = new ArrayList<>();
        lock.lock();
        try {
            requireRunning();
            String stale = staleness(proposal);
            if (stale != null) {
                LOG.info("ignored the proposal of block {} by {}: {}", proposal.height(), proposal.proposer().hex(), stale);
                return Optional.empty();
            }
            List<SignedTransaction> candidates = proposal.candidates();
            BlockContext ctx = new BlockContext(proposal.height(), proposal.previousHash(), proposal.timestampMillis(),
                    proposal.proposer());
            ValidatorSet signingSet = validatorSet();
            BlockExecution.Produced produced;
            try {
                produced = BlockExecution.produce(ledger, candidates, ctx.height(), ctx.previousHash(), ctx.timestampMillis(),
                        proposal.proposer(), proposal.signature());
            } catch (CorruptStateException e) {
                // A stored row or trie node does not read back: the state in memory cannot be trusted past this point.
                halted = halt(CorruptStoreException.stateRow(config.dataDir(), "(see the cause)", why(e), e).getMessage(), e);
                produced = null;
            }
            if (produced != null) {
                block = produced.block();
                views = new ArrayList<>(produced.events().size());
                List<EventWrite> eventWrites = new ArrayList<>(produced.events().size());
                for (int i = 0; i < produced.events().size(); i++) {
                    LedgerEvent ev = produced.events().get(i);
                    eventWrites.add(StoredEvents.write(block.height(), i, ctx.timestampMillis(), ev));
                    views.add(StoredEvents.view(block.height(), i, ctx.timestampMillis(), ev));
                }
                TreeMap<ByteKey, byte[]> writes = new TreeMap<>();
                ledger.state().drainChanges((k, v) -> writes.put(ByteKey.of(k), v));
                List<ArchiveWrite> archive = new ArrayList<>();
                for (RetiredJob r : ledger.state().drainRetired()) {
                    archive.add(new ArchiveWrite(r.job().id().bytes(), r.job().submittedAt(), Codecs.RETIRED_JOB.encode(r)));
                }
                List<byte[]> txHashes = new ArrayList<>();
                List<Hash> done = new ArrayList<>();
                for (SignedTransaction tx : block.transactions()) {
                    txHashes.add(tx.hash().bytes());
                    done.add(tx.hash());
                }
                List<StoredRefusal> refusals = new ArrayList<>(produced.refused().size());
                for (BlockExecution.Refused r : produced.refused()) {
                    refusals.add(new StoredRefusal(r.transaction().hash().bytes(), block.height(),
                            r.reason().code().name(), r.reason().getMessage()));
                    done.add(r.transaction().hash());
                    refusedCodes.add(r.reason().code());
                    LOG.info("refused transaction {} in block {}: {}", r.transaction().hash().hex(), block.height(),
                            r.reason().getMessage());
                }
                TreeMap<ByteKey, byte[]> finalityRows = new TreeMap<>();
                Finality.signingSetRow(finalityRows, block.height(), signingSet);
                ValidatorSet after = validatorSet();
                if (!after.equals(signingSet)) {
                    Finality.setProofRow(finalityRows, block.height(),
                            ledger.state().prove(ByteKey.wrap(ValidatorSet.STATE_KEY)).proof().encode());
                }
                try {
                    store.commitBlock(new BlockCommit(block.height(), block.hash().bytes(), block.encode(), txHashes, writes,
                            eventWrites, null, refusals, archive), new FinalityWrite(finalityRows, applied));
                } catch (RuntimeException e) {
                    // Memory is ahead of disk now; the only safe course is to stop and restart from disk, where the
                    // stored mempool still holds every transaction of this block.
                    halted = halt("could not commit block " + block.height() + " to " + config.dataDir() + ": " + why(e)
                            + "; restart the node from its last committed block " + headHeight, e);
                }
                if (halted == null) {
                    mempool.removeAll(done);
                    headHeight = block.height();
                    headHash = block.hash();
                    headHeader = block.header();
                    headTimestamp = ctx.timestampMillis();
                }
            }
        } finally {
            lock.unlock();
        }
        if (halted != null) {
            notifyHalted();
            throw halted;
        }
        Block committed = block;
        if (committed == null) {
            return Optional.empty();
        }
        for (BlockListener l : listeners) {
            try {
                l.onBlock(committed, views);
                refusedCodes.forEach(code -> l.onRefused(committed, code));
            } catch (RuntimeException e) {
                LOG.warn("block listener failed", e);
            }
        }
        return Optional.of(committed);
    }

    /** Why a proposal cannot be the next block, or null when it can. Called under the lock. */
    private String staleness(Proposal p) {
        if (!p.chainId().equals(genesis.chainId())) {
            return "it is for chain " + p.chainId();
        }
        if (p.height() != headHeight + 1 || !p.previousHash().equals(headHash)) {
            return "it follows block " + (p.height() - 1) + " " + p.previousHash().hex() + ", but the head is block " + headHeight
                    + " " + headHash.hex();
        }
        if (p.timestampMillis() < headTimestamp) {
            return "its time " + p.timestampMillis() + " is before the head's " + headTimestamp;
        }
        if (!validatorSet().contains(p.proposer())) {
            return "its proposer is not a validator";
        }
        if (!p.signatureValid()) {
            return "its signature does not verify";
        }
        return null;
    }

    /** The validator set in force for the next block. Called under the lock. */
    private ValidatorSet validatorSet() {
        return ledger.state().validatorSet();
    }

    /** The validator set that signs the next block. */
    public ValidatorSet currentValidatorSet() {
        lock.lock();
        try {
            requireRunning();
            return validatorSet();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Applies a finality vote (from the replicated log, or this node's own as the only validator): stored, counted
     * toward its block's certificate, and compared with the validator's earlier vote at that height.
     *
     * @param applied the log position it completes, or null
     * @throws NodeHaltedException when a quorum certified a block this node executed differently (the node halts)
     */
    public VoteOutcome applyVote(SignedVote vote, byte[] applied) {
        requireRunning();
        NodeHaltedException halted;
        lock.lock();
        try {
            requireRunning();
            BlockHeader header = vote.vote().height() <= headHeight ? blockHeader(vote.vote().height()).orElse(null) : null;
            try {
                return finality.apply(vote, header, applied);
            } catch (Finality.DivergedException e) {
                halted = halt(e.getMessage(), e);
            } catch (RuntimeException e) {
                halted = halt("could not store the vote of " + vote.validator().hex() + " at height " + vote.vote().height()
                        + " in " + config.dataDir() + ": " + why(e), e);
            }
        } finally {
            lock.unlock();
        }
        notifyHalted();
        throw halted;
    }

    /** The vote this validator casts for a block it executed: the block, its root, and the set that signs its height. */
    public FinalityVote voteFor(Block block) {
        ValidatorSet set = signingSet(block.height()).orElseThrow(
                () -> new IllegalStateException("block " + block.height() + " has no signing set stored"));
        return new FinalityVote(genesis.chainId(), block.height(), block.hash(), block.header().stateRoot(), set.hash());
    }

    /** The set that signs {@code height} (the set in force before that block), when this node executed it. */
    public Optional<ValidatorSet> signingSet(long height) {
        return finality.signingSet(height);
    }

    /** The finality certificate of the block at {@code height}, once it is final. */
    public Optional<FinalityCertificate> certificate(long height) {
        return finality.certificate(height);
    }

    /** The proof, against block {@code height}'s state root, of the validator set that block left (when it changed it). */
    public Optional<byte[]> validatorSetProof(long height) {
        return finality.setProof(height);
    }

    /** The heights in [{@code from}, {@code to}] whose blocks changed the validator set (they keep its proof). */
    public List<Long> validatorSetChangeHeights(long from, long to) {
        return finality.setChangeHeights(from, to);
    }

    /** The highest block with a finality certificate; 0 before any. */
    public long finalizedHeight() {
        lock.lock();
        try {
            return finality.finalizedHeight();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Replaces this node's state with a verified snapshot that is ahead of it (a validator that was down, or a new one,
     * whose log entries the others no longer keep). Does nothing for a snapshot at or below the head.
     *
     * @throws NodeHaltedException when the store cannot write it (the node halts)
     */
    public boolean installSnapshot(VerifiedSnapshot snapshot) {
        requireRunning();
        NodeHaltedException halted = null;
        lock.lock();
        try {
            requireRunning();
            if (snapshot.height() <= headHeight) {
                return false;
            }
            TreeMap<ByteKey, byte[]> rows = new TreeMap<>();
            Finality.signingSetRow(rows, snapshot.height(), snapshot.signingSet());
            rows.put(FinalityKeys.key(FinalityKeys.CERTIFICATE, snapshot.height()), snapshot.certificate().encode());
            try {
                store.installSnapshot(snapshot.height(), snapshot.block().hash().bytes(), snapshot.block().encode(),
                        snapshot.rows(), new FinalityWrite(rows, snapshot.applied(), true));
            } catch (IllegalStateException e) {
                throw e;
            } catch (RuntimeException e) {
                halted = halt("could not install the snapshot of block " + snapshot.height() + " in " + config.dataDir() + ": "
                        + why(e), e);
            }
            if (halted == null) {
                ledger = Ledger.restore(genesis, new LedgerState(new RocksStateBackend(store), config.stateCacheRows()));
                headHeight = snapshot.height();
                headHash = snapshot.block().hash();
                headHeader = snapshot.block().header();
                headTimestamp = headHeader.timestampMillis();
                finality = new Finality(store, genesis.chainId(), headHeight);
                mempool = new Mempool(config.mempoolCapacity());
                reloadMempool();
                LOG.info("installed the snapshot of block {} ({}; state root {}), certified by {} validators", headHeight,
                        headHash.hex(), headHeader.stateRoot().hex(), snapshot.certificate().signers().size());
                return true;
            }
        } finally {
            lock.unlock();
        }
        notifyHalted();
        throw halted;
    }

    /** Streams this node's state snapshot (its head block and every state row) in {@link SnapshotStream}'s form. */
    public void writeSnapshot(java.io.OutputStream out) throws java.io.IOException {
        SnapshotStream.write(store, genesis.chainId(), out);
    }

    /**
     * Records that the store holds the effects of every log entry up to {@code applied} (synced), as the replicated log's
     * latest snapshot.
     */
    public void markReplicatedSnapshot(byte[] applied) {
        lock.lock();
        try {
            requireRunning();
            store.writeFinality(new FinalityWrite(java.util.Map.of(), applied, true));
        } finally {
            lock.unlock();
        }
    }

    /** The replicated log's latest snapshot position (opaque), taken here or installed; empty before any. */
    public Optional<byte[]> replicatedSnapshot() {
        return store.raftSnapshot();
    }

    /** The log position the store holds the effects of, as last written (opaque; empty outside a replicated log). */
    public Optional<byte[]> replicatedApplied() {
        return store.raftApplied();
    }

    /** This validator's key, which signs its proposals and votes. */
    public PrivateKey validatorKey() {
        return validatorKey;
    }

    /**
     * Runs a query on the current state under the chain lock.
     *
     * @throws NodeHaltedException once the node halted: its state in memory may be ahead of what was committed
     */
    public <T> T read(Function<LedgerState, T> query) {
        lock.lock();
        try {
            requireRunning();
            return query.apply(ledger.state());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs a query on the current state and the header of the head block, whose state root commits to that state,
     * under one hold of the chain lock, so a block committing meanwhile cannot pair one block's header with another's
     * state. The header is null at genesis (no block yet).
     *
     * @throws NodeHaltedException once the node halted
     */
    public <T> T readAtHead(BiFunction<BlockHeader, LedgerState, T> query) {
        lock.lock();
        try {
            requireRunning();
            return query.apply(headHeader, ledger.state());
        } finally {
            lock.unlock();
        }
    }

    /** A finished job from this node's archive (jobs leave the live state when they finish). */
    public Optional<RetiredJob> archivedJob(Hash id) {
        return store.archivedJob(id.bytes()).map(this::decodeArchived);
    }

    /**
     * Archived jobs newest submitted first (submit height at most {@code maxSubmittedAt}), until {@code visitor}
     * returns false or {@code scanLimit} were seen. Reads the store only, without the chain lock.
     */
    public void forEachArchivedJob(long maxSubmittedAt, int scanLimit, java.util.function.Predicate<RetiredJob> visitor) {
        store.forEachArchivedJobNewestFirst(maxSubmittedAt, scanLimit, bytes -> visitor.test(decodeArchived(bytes)));
    }

    private RetiredJob decodeArchived(byte[] bytes) {
        try {
            return Codecs.RETIRED_JOB.decode(bytes);
        } catch (RuntimeException e) {
            throw new CorruptStoreException(config.dataDir(), "jobArchive", "?", "an archived job does not decode: " + why(e),
                    false, e);
        }
    }

    /** The next nonce of an account, counting its pending transactions. */
    public long nextNonce(dev.verity.core.PublicKey account) {
        lock.lock();
        try {
            requireRunning();
            long pending = mempool.pendingNextNonce(account);
            return pending >= 0 ? pending : ledger.state().account(account).nonce();
        } finally {
            lock.unlock();
        }
    }

    public long height() {
        lock.lock();
        try {
            return headHeight;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The block at {@code height}; empty above the head.
     *
     * @throws HistoryPrunedException when this pruned node deleted it
     */
    public Optional<Block> block(long height) {
        if (height < 1) {
            return Optional.empty();
        }
        Optional<Block> block = store.block(height).map(Block::decode);
        if (block.isEmpty()) {
            requireRetained(height, "block " + height + " was pruned");
        }
        return block;
    }

    /** What history this node keeps: every block (archive), or its newest blocks (pruned). */
    public Retention retention() {
        return store.retention();
    }

    /**
     * Throws {@link HistoryPrunedException} saying {@code what} when the history of {@code height} was deleted. A read
     * checks after it ran: pruning only moves the lowest height up, so a read that passes saw all it asked for.
     */
    public void requireRetained(long height, String what) {
        Retention r = store.retention();
        if (r.pruned(height)) {
            throw new HistoryPrunedException(what, r);
        }
    }

    /**
     * Throws {@link HistoryPrunedException} saying {@code what} when this node deleted any history: a lookup by hash that
     * found nothing may have missed what was pruned.
     */
    public void requireUnpruned(String what) {
        Retention r = store.retention();
        if (r.hasPruned()) {
            throw new HistoryPrunedException(what, r);
        }
    }

    /** The header of the block at {@code height}, decoded without its transactions; empty when there is none. */
    public Optional<BlockHeader> blockHeader(long height) {
        if (height < 1) {
            return Optional.empty();
        }
        return store.block(height).map(bytes -> BlockHeader.decode(new Decoder(bytes)));
    }

    /** The encoded events of the block at {@code height}, in order: the leaves of its events root. */
    public List<byte[]> blockEvents(long height) {
        return store.events(height).stream().map(StoredEvents::eventBytes).toList();
    }

    /**
     * Where a transaction stands: PENDING, INCLUDED (with its block), REFUSED (with the height at which it was
     * refused, its reject code and message; the newest {@link ChainStore#DEFAULT_MAX_REFUSALS} refusals are kept,
     * across restarts), or UNKNOWN. A refused transaction sent again and included answers INCLUDED.
     */
    public TransactionReceipt receipt(Hash tx) {
        // Mempool first, under the lock: a transaction leaves the mempool only in the batch that commits
        // its block or stores its refusal, so one that is not pending is already findable in the store.
        lock.lock();
        try {
            if (mempool.contains(tx)) {
                return new TransactionReceipt(tx.hex(), TransactionReceipt.PENDING, 0);
            }
        } finally {
            lock.unlock();
        }
        Optional<TxLocation> at = store.transaction(tx.bytes());
        if (at.isPresent()) {
            return new TransactionReceipt(tx.hex(), TransactionReceipt.INCLUDED, at.get().height());
        }
        Optional<StoredRefusal> refusal = store.refusal(tx.bytes());
        if (refusal.isPresent()) {
            StoredRefusal r = refusal.get();
            return new TransactionReceipt(tx.hex(), TransactionReceipt.REFUSED, r.height(), r.code(), r.message());
        }
        return new TransactionReceipt(tx.hex(), "UNKNOWN", 0);
    }

    public List<EventView> eventsSince(long fromHeight, int limit) {
        return eventsSince(fromHeight, 0, limit);
    }

    /**
     * Up to {@code limit} stored events from position ({@code fromHeight}, {@code fromIndex}) on, in chain order.
     *
     * @throws HistoryPrunedException when {@code fromHeight} is below the lowest height this pruned node keeps
     */
    public List<EventView> eventsSince(long fromHeight, int fromIndex, int limit) {
        List<EventView> events = store.eventsSince(fromHeight, fromIndex, limit).stream().map(e -> StoredEvents.view(e.bytes())).toList();
        requireRetained(fromHeight, "events from height " + fromHeight + " were pruned");
        return events;
    }

    public List<EventView> eventsFor(int kind, byte[] id, long fromHeight, int limit) {
        return eventsFor(kind, id, fromHeight, 0, limit);
    }

    /**
     * Up to {@code limit} stored events of one subject from position ({@code fromHeight}, {@code fromIndex}) on.
     *
     * @throws HistoryPrunedException when {@code fromHeight} is below the lowest height this pruned node keeps
     */
    public List<EventView> eventsFor(int kind, byte[] id, long fromHeight, int fromIndex, int limit) {
        List<EventView> events = store.eventsFor(StoredEvents.subject(kind, id), fromHeight, fromIndex, limit).stream()
                .map(StoredEvents::view).toList();
        requireRetained(fromHeight, "events from height " + fromHeight + " were pruned");
        return events;
    }

    public StatusView status() {
        lock.lock();
        try {
            requireRunning();
            Retention r = store.retention();
            return new StatusView(genesis.chainId(), headHeight, headHash.hex(), ledger.state().root().hex(), headTimestamp,
                    mempool.size(), validatorKey.publicKey().hex(), genesis.hash().hex(),
                    FeeMarket.basePrice(ledger.state()), r.mode(), r.retainBlocks(), r.lowestHeight(), finality.finalizedHeight());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            store.close();
        } finally {
            lock.unlock();
        }
    }
}
