package dev.verity.validator.chain;

import dev.verity.core.ByteKey;
import dev.verity.core.Encoder;
import dev.verity.core.PublicKey;

/**
 * Keys of the store's finality rows: {@code 'S' height} the validator set that signs that height (the set before the
 * block), {@code 'V' height key} a validator's vote, {@code 'C' height} the certificate, {@code 'P' height} a state
 * proof of the new set's row when the block changed the set.
 */
final class FinalityKeys {
    static final int SIGNING_SET = 'S';
    static final int VOTE = 'V';
    static final int CERTIFICATE = 'C';
    static final int SET_PROOF = 'P';

    private FinalityKeys() {}

    static byte[] at(int kind, long height) {
        return new Encoder(9).u8(kind).u64(height).toByteArray();
    }

    static ByteKey key(int kind, long height) {
        return ByteKey.wrap(at(kind, height));
    }

    static ByteKey vote(long height, PublicKey validator) {
        return ByteKey.wrap(new Encoder(41).u8(VOTE).u64(height).publicKey(validator).toByteArray());
    }
}
