package dev.verity.protocol.block;

import dev.verity.core.Bytes;
import dev.verity.core.Decoder;
import dev.verity.core.Encoder;
import dev.verity.core.Hash;
import dev.verity.core.PublicKey;
import dev.verity.core.Sha256;

/**
 * A block header. The block hash is SHA-256 of its encoding; the producer signs
 * {@code "verity-block-v1" || blockHash}. {@code stateRoot} commits to the state after the block,
 * {@code eventsRoot} to the events it emitted, {@code transactionsRoot} to its transactions. It lives below the
 * ledger so a client recomputes a block hash (to check a state or event proof) with the ledger's own encoding.
 */
public record BlockHeader(String chainId, long height, Hash previousHash, long timestampMillis, Hash transactionsRoot,
                          Hash stateRoot, Hash eventsRoot, PublicKey producer) {
    private static final byte[] DOMAIN = Bytes.utf8("verity-block-v1");

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

    public byte[] signingBytes() {
        return Bytes.concat(DOMAIN, hash().bytes());
    }
}
