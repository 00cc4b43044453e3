package dev.verity.protocol.tx;

import dev.verity.core.Encoder;
import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.core.Sha256;
import dev.verity.core.Signature;

/**
 * A transaction with the sender's Ed25519 signature over {@code "verity-tx-v1" || encode(body)}.
 * Its hash (SHA-256 of the whole encoding) identifies it; for {@code SubmitJob} it is the job id.
 */
public final class SignedTransaction {
    private final TransactionBody body;
    private final Signature signature;
    private final byte[] encoded;
    private final Hash hash;

    SignedTransaction(TransactionBody body, Signature signature, byte[] encoded) {
        this.body = body;
        this.signature = signature;
        this.encoded = encoded;
        this.hash = Sha256.digest(encoded);
    }

    public static SignedTransaction sign(TransactionBody body, PrivateKey key) {
        if (!key.publicKey().equals(body.sender())) {
            throw new IllegalArgumentException("the signing key is not the sender's key");
        }
        Signature sig = key.sign(TransactionCodec.signingBytes(body));
        return new SignedTransaction(body, sig, TransactionCodec.encode(body, sig));
    }

    public TransactionBody body() {
        return body;
    }

    public Payload payload() {
        return body.payload();
    }

    public Signature signature() {
        return signature;
    }

    public Hash hash() {
        return hash;
    }

    public byte[] encoded() {
        return encoded.clone();
    }

    /** Length of the encoding. */
    public int encodedLength() {
        return encoded.length;
    }

    /** Writes the encoding as a length-prefixed field, without copying it first. */
    public void writeEncoded(Encoder e) {
        e.bytes(encoded);
    }

    public int size() {
        return encoded.length;
    }

    /** Null until the signature was checked, then the outcome. */
    private volatile Boolean signatureChecked;

    /**
     * Whether the signature verifies against the sender key. Checked once per decoded transaction and remembered, so a
     * transaction admitted to the mempool is not checked again when its block is built (a transaction is immutable).
     */
    public boolean signatureValid() {
        Boolean known = signatureChecked;
        if (known == null) {
            known = body.sender().verify(TransactionCodec.signingBytes(body), signature);
            signatureChecked = known;
        }
        return known;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedTransaction t && t.hash.equals(hash);
    }

    @Override
    public int hashCode() {
        return hash.hashCode();
    }

    @Override
    public String toString() {
        return body.payload().getClass().getSimpleName() + "(" + hash.hex() + ")";
    }
}
