package dev.verity.ledger.block;

import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.core.PublicKey;
import dev.verity.core.Signature;
import dev.verity.ledger.BlockContext;
import dev.verity.ledger.Ledger;
import dev.verity.ledger.TransactionRejectedException;
import dev.verity.ledger.event.LedgerEvent;
import dev.verity.protocol.block.BlockHeader;
import dev.verity.protocol.tx.SignedTransaction;
import java.util.ArrayList;
import java.util.List;

/** Producing a block from candidate transactions, and re-executing a block someone else produced. */
public final class BlockExecution {
    private BlockExecution() {}

    /** A produced block, its events, and the candidates that were refused with the reason. */
    public record Produced(Block block, List<LedgerEvent> events, List<Refused> refused) {}

    public record Refused(SignedTransaction transaction, TransactionRejectedException reason) {}

    /** Applies the candidates that still hold (dropping the rest), ends the block, and signs it. */
    public static Produced produce(Ledger ledger, List<SignedTransaction> candidates, long height, Hash previousHash,
                                   long timestampMillis, PrivateKey producerKey) {
        Signature proposal = producerKey.sign(BlockHeader.proposalSigningBytes(ledger.chainId(), height, previousHash,
                timestampMillis, producerKey.publicKey()));
        return produce(ledger, candidates, height, previousHash, timestampMillis, producerKey.publicKey(), proposal);
    }

    /**
     * As above, for a proposal its producer already signed ({@link BlockHeader#proposalSigningBytes}): every validator
     * executes a replicated proposal this way, to the same block.
     */
    public static Produced produce(Ledger ledger, List<SignedTransaction> candidates, long height, Hash previousHash,
                                   long timestampMillis, PublicKey producer, Signature proposalSignature) {
        BlockContext ctx = new BlockContext(height, previousHash, timestampMillis, producer);
        List<SignedTransaction> included = new ArrayList<>();
        List<Refused> refused = new ArrayList<>();
        ledger.state().drainEvents();
        for (SignedTransaction tx : candidates) {
            try {
                ledger.apply(tx, ctx);
                included.add(tx);
            } catch (TransactionRejectedException e) {
                refused.add(new Refused(tx, e));
            }
        }
        ledger.endBlock(ctx);
        List<LedgerEvent> events = ledger.state().drainEvents();
        BlockHeader header = new BlockHeader(ledger.chainId(), height, previousHash, timestampMillis,
                Block.transactionsRoot(included), ledger.state().root(), Block.eventsRoot(events), producer);
        Block block = new Block(header, included, proposalSignature);
        return new Produced(block, events, refused);
    }

    /**
     * Re-executes a block on top of the current state and checks everything the header claims.
     * On failure the ledger must be discarded (a block is all or nothing).
     */
    public static List<LedgerEvent> execute(Ledger ledger, Block block, Hash expectedPreviousHash) {
        BlockHeader h = block.header();
        long expectedHeight = ledger.state().height() + 1;
        if (!ledger.chainId().equals(h.chainId())) {
            throw new InvalidBlockException("block " + h.height() + " is for chain " + h.chainId());
        }
        if (h.height() != expectedHeight) {
            throw new InvalidBlockException("expected block " + expectedHeight + ", got " + h.height());
        }
        if (!h.previousHash().equals(expectedPreviousHash)) {
            throw new InvalidBlockException("block " + h.height() + " does not follow the previous block");
        }
        // The set stored after the previous block signs this one: a join or leave in this block counts from the next.
        if (!ledger.state().validatorSet().contains(h.producer())) {
            throw new InvalidBlockException("block " + h.height() + " was produced by " + h.producer().hex()
                    + ", which is not in the validator set");
        }
        if (!h.producer().verify(h.signingBytes(), block.signature())) {
            throw new InvalidBlockException("block " + h.height() + " has an invalid producer signature");
        }
        if (!Block.transactionsRoot(block.transactions()).equals(h.transactionsRoot())) {
            throw new InvalidBlockException("block " + h.height() + " transactions do not match its transactions root");
        }
        BlockContext ctx = new BlockContext(h.height(), h.previousHash(), h.timestampMillis(), h.producer());
        ledger.state().drainEvents();
        for (SignedTransaction tx : block.transactions()) {
            try {
                ledger.apply(tx, ctx);
            } catch (TransactionRejectedException e) {
                throw new InvalidBlockException("block " + h.height() + " holds a refused transaction " + tx.hash().hex()
                        + ": " + e.getMessage());
            }
        }
        ledger.endBlock(ctx);
        List<LedgerEvent> events = ledger.state().drainEvents();
        Hash root = ledger.state().root();
        if (!root.equals(h.stateRoot())) {
            throw new InvalidBlockException("block " + h.height() + " state root mismatch: header " + h.stateRoot().hex()
                    + ", re-executed " + root.hex());
        }
        if (!Block.eventsRoot(events).equals(h.eventsRoot())) {
            throw new InvalidBlockException("block " + h.height() + " events root mismatch");
        }
        return events;
    }

    public static final class InvalidBlockException extends RuntimeException {
        public InvalidBlockException(String message) {
            super(message);
        }
    }
}
