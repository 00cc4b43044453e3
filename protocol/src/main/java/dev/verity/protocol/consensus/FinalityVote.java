package dev.verity.protocol.consensus;

import dev.verity.core.Bytes;
import dev.verity.core.Decoder;
import dev.verity.core.Encoder;
import dev.verity.core.Hash;

/**
 * What a validator signs after it executed a block itself: the chain, the height, the block's hash, the state root it
 * reached and the hash of the validator set that signs this height (the set in force before the block). Two votes of
 * one validator at one height that differ in anything are an equivocation, slashed by the ledger (docs/SLASHING.md).
 */
public record FinalityVote(String chainId, long height, Hash blockHash, Hash stateRoot, Hash validatorSetHash) {
    private static final byte[] DOMAIN = Bytes.utf8("verity-finality-vote-v1");

    public FinalityVote {
        if (chainId == null || chainId.isEmpty() || chainId.length() > 64) {
            throw new IllegalArgumentException("a vote names a chain id of 1 to 64 characters");
        }
        if (height < 1) {
            throw new IllegalArgumentException("a vote is for a block at height 1 or above, got " + height);
        }
        if (blockHash == null || stateRoot == null || validatorSetHash == null) {
            throw new IllegalArgumentException("a vote names a block hash, a state root and a validator set hash");
        }
    }

    public void encode(Encoder e) {
        e.string(chainId).u64(height).hash(blockHash).hash(stateRoot).hash(validatorSetHash);
    }

    public static FinalityVote decode(Decoder d) {
        return new FinalityVote(d.string("chain id", 64), d.u64("height"), d.hash("block hash"), d.hash("state root"),
                d.hash("validator set hash"));
    }

    /** The bytes a validator signs: a domain tag, then the encoded vote. */
    public byte[] signingBytes() {
        Encoder e = new Encoder(192);
        e.fixed(DOMAIN);
        encode(e);
        return e.toByteArray();
    }
}
