package dev.verity.validator.consensus.ratis;

import dev.verity.core.Decoder;
import dev.verity.core.Encoder;
import dev.verity.core.Hash;
import dev.verity.ledger.TransactionRejectedException;
import dev.verity.ledger.block.Block;
import dev.verity.validator.chain.ChainNode;
import dev.verity.validator.chain.VoteOutcome;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.util.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chain as Ratis' state machine. Determinism contract: {@link #applyTransaction} is called on every validator with
 * the same entries in the same order, and its effect on the state depends on the entry and the state alone — the time
 * and the randomness a block needs are inside its proposal. The store records, with each write, the log position it
 * completes; a restart resumes the log after it ({@link #initialize}), and entries that wrote nothing (a refused
 * transaction, a stale proposal, a duplicate vote) do the same nothing again when replayed.
 *
 * <p>Replies, to whoever appended the entry: {@code OK hash} or {@code REFUSED CODE message} for a transaction,
 * {@code BLOCK height hash} or {@code IGNORED reason} for a proposal, the outcome's name for a vote.
 */
final class ChainStateMachine extends BaseStateMachine {
    private static final Logger LOG = LoggerFactory.getLogger(ChainStateMachine.class);

    private final ChainNode chain;
    private final Consumer<Block> onBlock;
    private final Consumer<VoteOutcome> onVote;
    private final SnapshotCatchUp catchUp;
    private final ExecutorService snapshots = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "snapshot-catch-up");
        t.setDaemon(true);
        return t;
    });
    /** The last log index whose effects the store held at start (-1: none); entries up to it are not applied again. */
    private long storedIndex = -1;

    ChainStateMachine(ChainNode chain, Consumer<Block> onBlock, Consumer<VoteOutcome> onVote, SnapshotCatchUp catchUp) {
        this.chain = chain;
        this.onBlock = onBlock;
        this.onVote = onVote;
        this.catchUp = catchUp;
    }

    /**
     * The store is its own snapshot: every write is synced with the log position it completes, so the position last
     * written is a point the log may be purged up to. Taking a snapshot writes the applied position (entries that wrote
     * nothing, such as a refused transaction, are covered by it too) and returns it.
     */
    @Override
    public long takeSnapshot() {
        TermIndex applied = getLastAppliedTermIndex();
        if (applied == null || applied.getIndex() < 0) {
            return RaftLog.INVALID_LOG_INDEX;
        }
        chain.markReplicatedSnapshot(position(applied.getTerm(), applied.getIndex()));
        LOG.info("snapshot at log index {}: the store holds every entry up to it", applied.getIndex());
        return applied.getIndex();
    }

    /**
     * The latest snapshot taken or installed; none before the first, so that a new validator is sent the log from its
     * start while the log still holds it, and needs a snapshot only once the log was purged.
     */
    @Override
    public SnapshotInfo getLatestSnapshot() {
        Optional<byte[]> applied = chain.replicatedSnapshot();
        if (applied.isEmpty()) {
            return null;
        }
        Decoder d = new Decoder(applied.get());
        TermIndex at = TermIndex.valueOf(d.u64("term"), d.u64("index"));
        return new SnapshotInfo() {
            @Override
            public TermIndex getTermIndex() {
                return at;
            }

            @Override
            public java.util.List<org.apache.ratis.server.storage.FileInfo> getFiles() {
                return java.util.List.of();
            }
        };
    }

    /**
     * The leader no longer holds the entries this validator needs: catch up from a snapshot that another validator
     * serves, checked against a finality certificate before it is used.
     */
    @Override
    public CompletableFuture<TermIndex> notifyInstallSnapshotFromLeader(RoleInfoProto roleInfo, TermIndex firstInLog) {
        TermIndex applied = getLastAppliedTermIndex();
        long next = Math.max(applied == null ? 0 : applied.getIndex() + 1, storedIndex + 1);
        if (firstInLog.getIndex() <= next) {
            // Ratis offers every joining follower a snapshot once; the log still holds what this one needs. A null
            // answer says "no snapshot": the leader then sends the log.
            LOG.info("the leader's log starts at index {} and this validator needs {} on: following the log", firstInLog.getIndex(),
                    next);
            return CompletableFuture.completedFuture(null);
        }
        if (chain.retention().archive()) {
            LOG.error("the log this validator needs starts at index {}, which the leader no longer keeps, and an archive "
                    + "validator cannot start from a snapshot (it must hold every block): restart it pruned "
                    + "(--retain-blocks N), or from a copy of an archive validator's data directory", firstInLog.getIndex());
            return CompletableFuture.completedFuture(null);
        }
        LOG.warn("the log this validator needs starts at index {}, which the leader no longer keeps: catching up from a "
                + "snapshot", firstInLog.getIndex());
        return CompletableFuture.supplyAsync(() -> {
            SnapshotCatchUp.Installed done = catchUp.run(firstInLog.getIndex() - 1, java.time.Duration.ofMinutes(5));
            // Ratis reloads a state machine that installed a snapshot: paused here, started again in reinitialize().
            getLifeCycle().transition(LifeCycle.State.PAUSING);
            getLifeCycle().transition(LifeCycle.State.PAUSED);
            return TermIndex.valueOf(done.term(), done.index());
        }, snapshots);
    }

    /** After a snapshot was installed: resume from the log position the store now holds. */
    @Override
    public void reinitialize() throws IOException {
        Optional<byte[]> applied = chain.replicatedApplied();
        if (applied.isPresent()) {
            Decoder d = new Decoder(applied.get());
            long term = d.u64("term");
            storedIndex = d.u64("index");
            updateLastAppliedTermIndex(term, storedIndex);
        }
        getLifeCycle().transition(LifeCycle.State.STARTING);
        getLifeCycle().transition(LifeCycle.State.RUNNING);
    }

    @Override
    public void close() throws IOException {
        snapshots.shutdownNow();
        super.close();
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage storage) throws IOException {
        super.initialize(server, groupId, storage);
        // Running from here: installing a snapshot pauses it, and reinitialize() starts it again.
        getLifeCycle().transition(LifeCycle.State.STARTING);
        getLifeCycle().transition(LifeCycle.State.RUNNING);
        Optional<byte[]> applied = chain.replicatedApplied();
        if (applied.isPresent()) {
            Decoder d = new Decoder(applied.get());
            long term = d.u64("term");
            storedIndex = d.u64("index");
            // Not updateLastAppliedTermIndex: Ratis applies the log from its start again (this machine has no snapshot)
            // and refuses an applied index that goes backwards; applyTransaction passes over what the store holds.
            LOG.info("the store holds the replicated log up to index {} (term {}); resuming after it", storedIndex, term);
        }
        // With a snapshot Ratis starts the log after it; the applied position starts there too.
        SnapshotInfo snapshot = getLatestSnapshot();
        if (snapshot != null) {
            updateLastAppliedTermIndex(snapshot.getTerm(), snapshot.getIndex());
        }
    }

    static byte[] position(long term, long index) {
        return new Encoder(16).u64(term).u64(index).toByteArray();
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        long term = entry.getTerm();
        long index = entry.getIndex();
        if (index <= storedIndex) {
            updateLastAppliedTermIndex(term, index);
            return CompletableFuture.completedFuture(Message.valueOf("IGNORED already applied: the store holds index " + storedIndex));
        }
        byte[] data = entry.getStateMachineLogEntry().getLogData().toByteArray();
        String reply;
        try {
            reply = apply(LogEntry.decode(data), position(term, index));
        } catch (IllegalArgumentException | dev.verity.core.DecodingException e) {
            reply = "IGNORED the entry does not decode: " + e.getMessage();
            LOG.warn("log entry {} ignored: {}", index, reply);
        }
        updateLastAppliedTermIndex(term, index);
        return CompletableFuture.completedFuture(Message.valueOf(reply));
    }

    private String apply(LogEntry entry, byte[] applied) {
        return switch (entry) {
            case LogEntry.Transaction t -> admit(t.bytes());
            case LogEntry.ProposalEntry p -> {
                Optional<Block> block = chain.applyProposal(p.proposal(), applied);
                if (block.isEmpty()) {
                    yield "IGNORED the proposal of block " + p.proposal().height() + " does not follow the head";
                }
                onBlock.accept(block.get());
                yield "BLOCK " + block.get().height() + " " + block.get().hash().hex();
            }
            case LogEntry.Vote v -> {
                VoteOutcome outcome = chain.applyVote(v.vote(), applied);
                onVote.accept(outcome);
                yield outcome.getClass().getSimpleName().toUpperCase();
            }
        };
    }

    private String admit(byte[] bytes) {
        try {
            Hash hash = chain.admit(bytes);
            return "OK " + hash.hex();
        } catch (TransactionRejectedException e) {
            return "REFUSED " + e.code().name() + " " + e.getMessage();
        }
    }
}
