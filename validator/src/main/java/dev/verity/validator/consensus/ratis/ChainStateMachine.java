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
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
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
    /** The last log index whose effects the store held at start (-1: none); entries up to it are not applied again. */
    private long storedIndex = -1;

    ChainStateMachine(ChainNode chain, Consumer<Block> onBlock, Consumer<VoteOutcome> onVote) {
        this.chain = chain;
        this.onBlock = onBlock;
        this.onVote = onVote;
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage storage) throws IOException {
        super.initialize(server, groupId, storage);
        Optional<byte[]> applied = chain.replicatedApplied();
        if (applied.isPresent()) {
            Decoder d = new Decoder(applied.get());
            long term = d.u64("term");
            storedIndex = d.u64("index");
            // Not updateLastAppliedTermIndex: Ratis applies the log from its start again (this machine has no snapshot)
            // and refuses an applied index that goes backwards; applyTransaction passes over what the store holds.
            LOG.info("the store holds the replicated log up to index {} (term {}); resuming after it", storedIndex, term);
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
