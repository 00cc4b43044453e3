package dev.verity.protocol.consensus;

import dev.verity.core.Decoder;
import dev.verity.core.Encoder;
import dev.verity.core.PrivateKey;
import dev.verity.core.PublicKey;
import dev.verity.core.Signature;

/** A finality vote with the key of the validator that cast it and its Ed25519 signature. */
public record SignedVote(FinalityVote vote, PublicKey validator, Signature signature) {

    public static SignedVote sign(FinalityVote vote, PrivateKey key) {
        return new SignedVote(vote, key.publicKey(), key.sign(vote.signingBytes()));
    }

    public boolean verify() {
        return validator.verify(vote.signingBytes(), signature);
    }

    public void encode(Encoder e) {
        vote.encode(e);
        e.publicKey(validator).signature(signature);
    }

    public byte[] encode() {
        Encoder e = new Encoder(320);
        encode(e);
        return e.toByteArray();
    }

    public static SignedVote decode(Decoder d) {
        return new SignedVote(FinalityVote.decode(d), d.publicKey("validator"), d.signature("vote signature"));
    }

    public static SignedVote decode(byte[] bytes) {
        Decoder d = new Decoder(bytes);
        SignedVote v = decode(d);
        d.end("signed vote");
        return v;
    }
}
