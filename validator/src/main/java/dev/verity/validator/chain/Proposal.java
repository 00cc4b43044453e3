package dev.verity.validator.chain;

import dev.verity.core.Decoder;
import dev.verity.core.Encoder;
import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.core.PublicKey;
import dev.verity.core.Signature;
import dev.verity.ledger.block.Block;
import dev.verity.protocol.block.BlockHeader;
import dev.verity.protocol.tx.SignedTransaction;
import dev.verity.protocol.tx.TransactionCodec;
import java.util.List;

/**
 * The next block as its producer proposes it, before anyone executes it: height, previous block, time (the only clock
 * reading that reaches the state), the producer and its signature over those ({@link BlockHeader#proposalSigningBytes}),
 * and the candidate transactions in order. Every validator executes the same proposal to the same block: candidates
 * that no longer apply are left out, deterministically.
 */
public record Proposal(String chainId, long height, Hash previousHash, long timestampMillis, PublicKey proposer,
                       Signature signature, List<SignedTransaction> candidates) {

    public Proposal {
        candidates = List.copyOf(candidates);
    }

    public static Proposal sign(String chainId, long height, Hash previousHash, long timestampMillis, PrivateKey key,
                                List<SignedTransaction> candidates) {
        Signature sig = key.sign(BlockHeader.proposalSigningBytes(chainId, height, previousHash, timestampMillis, key.publicKey()));
        return new Proposal(chainId, height, previousHash, timestampMillis, key.publicKey(), sig, candidates);
    }

    public boolean signatureValid() {
        return proposer.verify(BlockHeader.proposalSigningBytes(chainId, height, previousHash, timestampMillis, proposer), signature);
    }

    public void encode(Encoder e) {
        e.string(chainId).u64(height).hash(previousHash).u64(timestampMillis).publicKey(proposer).signature(signature);
        e.list(candidates, (x, t) -> t.writeEncoded(x));
    }

    public static Proposal decode(Decoder d) {
        return new Proposal(d.string("chain id", 64), d.u64("height"), d.hash("previous hash"), d.u64("timestamp"),
                d.publicKey("proposer"), d.signature("proposal signature"), d.list("candidates", Block.MAX_TRANSACTIONS,
                        x -> TransactionCodec.decode(x.bytes("transaction", TransactionCodec.MAX_BYTES_FIELD * 2))));
    }
}
