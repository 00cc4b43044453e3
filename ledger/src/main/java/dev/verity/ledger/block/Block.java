package dev.verity.ledger.block;

import dev.verity.core.Decoder;
import dev.verity.core.Encoder;
import dev.verity.core.Hash;
import dev.verity.core.Merkle;
import dev.verity.core.Sha256;
import dev.verity.core.Signature;
import dev.verity.ledger.event.LedgerEvent;
import dev.verity.protocol.block.BlockHeader;
import dev.verity.protocol.tx.SignedTransaction;
import dev.verity.protocol.tx.TransactionCodec;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/** A header, the transactions in order, and the producer's signature over the header. */
public record Block(BlockHeader header, List<SignedTransaction> transactions, Signature signature) {
    public static final int MAX_TRANSACTIONS = 100_000;

    public Block {
        transactions = List.copyOf(transactions);
    }

    public Hash hash() {
        return header.hash();
    }

    public long height() {
        return header.height();
    }

    public byte[] encode() {
        int size = 1024;
        for (SignedTransaction t : transactions) {
            size += 4 + t.encodedLength();
        }
        Encoder e = new Encoder(size);
        header.encode(e);
        e.list(transactions, (x, t) -> t.writeEncoded(x));
        e.signature(signature);
        return e.toByteArray();
    }

    public static Block decode(byte[] bytes) {
        Decoder d = new Decoder(bytes);
        BlockHeader h = BlockHeader.decode(d);
        List<SignedTransaction> txs = d.list("transactions", MAX_TRANSACTIONS,
                x -> TransactionCodec.decode(x.bytes("transaction", TransactionCodec.MAX_BYTES_FIELD * 2)));
        Signature s = d.signature("block signature");
        d.end("block");
        return new Block(h, txs, s);
    }

    public static Hash transactionsRoot(List<SignedTransaction> txs) {
        List<Hash> leaves = new ArrayList<>(txs.size());
        for (SignedTransaction t : txs) {
            leaves.add(t.hash());
        }
        return Merkle.root(leaves);
    }

    public static Hash eventsRoot(List<LedgerEvent> events) {
        List<Hash> leaves = new ArrayList<>(events.size());
        MessageDigest md = Sha256.newDigest();
        Encoder e = new Encoder(256);
        for (LedgerEvent ev : events) {
            ev.encode(e.reset());
            leaves.add(Merkle.leaf(md, e));
        }
        return Merkle.root(leaves);
    }
}
