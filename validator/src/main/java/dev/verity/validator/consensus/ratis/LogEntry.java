package dev.verity.validator.consensus.ratis;

import dev.verity.core.Decoder;
import dev.verity.core.Encoder;
import dev.verity.protocol.consensus.SignedVote;
import dev.verity.protocol.tx.TransactionCodec;
import dev.verity.validator.chain.Proposal;

/**
 * An entry of the replicated log, {@code tag:u8} then its body. The tags are the log's format: never reused or
 * renumbered ({@code LogEntryTest} pins them).
 */
public sealed interface LogEntry {
    int TRANSACTION = 1;
    int PROPOSAL = 2;
    int VOTE = 3;

    int tag();

    void encodeBody(Encoder e);

    default byte[] encode() {
        Encoder e = new Encoder(256);
        e.u8(tag());
        encodeBody(e);
        return e.toByteArray();
    }

    static LogEntry decode(byte[] bytes) {
        Decoder d = new Decoder(bytes);
        int tag = d.u8("log entry tag");
        LogEntry entry = switch (tag) {
            case TRANSACTION -> new Transaction(d.bytes("transaction", TransactionCodec.MAX_BYTES_FIELD * 2));
            case PROPOSAL -> new ProposalEntry(Proposal.decode(d));
            case VOTE -> new Vote(SignedVote.decode(d));
            default -> throw new IllegalArgumentException("unknown log entry tag " + tag);
        };
        d.end("log entry");
        return entry;
    }

    /** A client's transaction, admitted into every validator's mempool in log order. */
    record Transaction(byte[] bytes) implements LogEntry {
        public int tag() {
            return TRANSACTION;
        }

        public void encodeBody(Encoder e) {
            e.bytes(bytes);
        }
    }

    /** The leader's proposal of the next block, executed by every validator. */
    record ProposalEntry(Proposal proposal) implements LogEntry {
        public int tag() {
            return PROPOSAL;
        }

        public void encodeBody(Encoder e) {
            proposal.encode(e);
        }
    }

    /** A validator's finality vote, counted by every validator in log order. */
    record Vote(SignedVote vote) implements LogEntry {
        public int tag() {
            return VOTE;
        }

        public void encodeBody(Encoder e) {
            vote.encode(e);
        }
    }
}
