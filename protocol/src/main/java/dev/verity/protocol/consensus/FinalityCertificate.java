package dev.verity.protocol.consensus;

import dev.verity.core.Decoder;
import dev.verity.core.Encoder;
import dev.verity.core.PublicKey;
import dev.verity.core.Signature;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Proof that a block is final: one vote and the signatures over it of validators holding more than two thirds of the
 * stake of the set the vote names. Signers are listed once each, in key order, so a certificate has one encoding.
 */
public record FinalityCertificate(FinalityVote vote, List<Signer> signers) {
    public record Signer(PublicKey validator, Signature signature) {}

    public FinalityCertificate {
        signers = List.copyOf(signers);
        if (signers.size() > ValidatorSet.MAX_MEMBERS) {
            throw new IllegalArgumentException("a certificate holds at most " + ValidatorSet.MAX_MEMBERS + " signatures");
        }
        for (int i = 1; i < signers.size(); i++) {
            if (signers.get(i - 1).validator().compareTo(signers.get(i).validator()) >= 0) {
                throw new IllegalArgumentException("a certificate lists its signers once each, in key order; "
                        + signers.get(i).validator().hex() + " is out of order or repeated");
            }
        }
    }

    /** A certificate of {@code vote} from signed votes that all carry it (in any order; duplicates kept once). */
    public static FinalityCertificate of(FinalityVote vote, List<SignedVote> votes) {
        List<Signer> list = new ArrayList<>();
        for (SignedVote v : votes) {
            if (!v.vote().equals(vote)) {
                throw new IllegalArgumentException("vote of " + v.validator().hex() + " is for another block or root");
            }
            if (list.stream().noneMatch(s -> s.validator().equals(v.validator()))) {
                list.add(new Signer(v.validator(), v.signature()));
            }
        }
        list.sort(Comparator.comparing(Signer::validator));
        return new FinalityCertificate(vote, list);
    }

    /**
     * Checks this certificate against the set that should have signed it: the vote names that set's hash, every signer
     * is a member whose signature verifies, and the signers hold more than two thirds of its stake. Empty when it holds;
     * otherwise the reason.
     */
    public Optional<String> check(ValidatorSet set) {
        if (!vote.validatorSetHash().equals(set.hash())) {
            return Optional.of("the certificate of block " + vote.height() + " is signed for validator set "
                    + vote.validatorSetHash().hex() + ", not the trusted set " + set.hash().hex());
        }
        long signed = 0;
        byte[] message = vote.signingBytes();
        for (Signer s : signers) {
            Optional<ValidatorInfo> member = set.find(s.validator());
            if (member.isEmpty()) {
                return Optional.of("the certificate of block " + vote.height() + " holds a signature of " + s.validator().hex()
                        + ", which is not in the validator set");
            }
            if (!s.validator().verify(message, s.signature())) {
                return Optional.of("the certificate of block " + vote.height() + " holds a signature of " + s.validator().hex()
                        + " that does not verify");
            }
            signed += member.get().stake();
        }
        if (!set.isQuorum(signed)) {
            return Optional.of("the certificate of block " + vote.height() + " is signed by validators holding " + signed + " of "
                    + set.totalStake() + " stake; finality needs more than two thirds");
        }
        return Optional.empty();
    }

    public void encode(Encoder e) {
        vote.encode(e);
        e.list(signers, (x, s) -> x.publicKey(s.validator()).signature(s.signature()));
    }

    public byte[] encode() {
        Encoder e = new Encoder(256 + signers.size() * 96);
        encode(e);
        return e.toByteArray();
    }

    public static FinalityCertificate decode(Decoder d) {
        return new FinalityCertificate(FinalityVote.decode(d), d.list("signatures", ValidatorSet.MAX_MEMBERS,
                x -> new Signer(x.publicKey("signer"), x.signature("signature"))));
    }

    public static FinalityCertificate decode(byte[] bytes) {
        Decoder d = new Decoder(bytes);
        FinalityCertificate c = decode(d);
        d.end("finality certificate");
        return c;
    }
}
