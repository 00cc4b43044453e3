package dev.verity.protocol.block;

import dev.verity.core.Bytes;
import dev.verity.core.Decoder;
import dev.verity.core.Encoder;
import dev.verity.core.Hash;
import dev.verity.core.PublicKey;
import dev.verity.core.Sha256;

/**
 * A block header. The block hash is SHA-256 of its encoding. The producer signs its proposal, the fields it chose before
 * anyone executed the block ({@link #proposalSigningBytes}): chain, height, previous block, time and itself. It does not
 * sign the roots: with several validators the block is executed by each of them after the log orders it, and what
 * vouches for the resulting block hash and state root is the finality certificate
 * ({@code protocol.consensus.FinalityCertificate}). {@code stateRoot} commits to the state after the block,
 * {@code eventsRoot} to the events it emitted, {@code transactionsRoot} to its transactions. It lives below the
 * ledger so a client recomputes a block hash (to check a state or event proof) with the ledger's own encoding.
 */
public record BlockHeader(String chainId, long height, Hash previousHash, long timestampMillis, Hash transactionsRoot,
                          Hash stateRoot, Hash eventsRoot, PublicKey producer) {
    private static final byte[] DOMAIN = Bytes.utf8("verity-proposal-v1");

    public void encode(Encoder e) {
        e.string(chainId).u64(height).hash(previousHash).u64(timestampMillis).hash(transactionsRoot).hash(stateRoot)
                .hash(eventsRoot).publicKey(producer);
    }

    public static BlockHeader decode(Decoder d) {
        return new BlockHeader(d.string("chain id", 64), d.u64("height"), d.hash("previous hash"), d.u64("timestamp"),
                d.hash("transactions root"), d.hash("state root"), d.hash("events root"), d.publicKey("producer"));
    }

    public Hash hash() {
        Encoder e = new Encoder(256);
        encode(e);
        return Sha256.digest(e.toByteArray());
    }

    /** What the producer signs: {@link #proposalSigningBytes} of this header's proposal fields. */
    public byte[] signingBytes() {
        return proposalSigningBytes(chainId, height, previousHash, timestampMillis, producer);
    }

    /** {@code "verity-proposal-v1"}, then chain id, height, previous hash, timestamp and producer as a header encodes them. */
    public static byte[] proposalSigningBytes(String chainId, long height, Hash previousHash, long timestampMillis,
                                              PublicKey producer) {
        Encoder e = new Encoder(160);
        e.fixed(DOMAIN).string(chainId).u64(height).hash(previousHash).u64(timestampMillis).publicKey(producer);
        return e.toByteArray();
    }
}
