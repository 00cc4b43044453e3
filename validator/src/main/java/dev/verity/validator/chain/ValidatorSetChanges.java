package dev.verity.validator.chain;

import dev.verity.core.Bytes;
import dev.verity.core.Decoder;
import dev.verity.core.trie.TrieProof;
import dev.verity.protocol.block.BlockHeader;
import dev.verity.protocol.consensus.FinalityCertificate;
import dev.verity.protocol.consensus.ValidatorSet;
import dev.verity.protocol.state.StateProof;
import java.util.List;
import java.util.Optional;

/**
 * Follows validator-set changes from a set this node trusts (as {@code GET /v1/validator-set-changes} serves them):
 * each change must be certified by the set in force, name its header, and prove the new set's row under that header's
 * state root; then the new set is trusted from there on. Whoever served them, a change that fails is refused.
 */
public final class ValidatorSetChanges {
    /** One change as served: hex of the header, the certificate, the new set and the trie proof of its row. */
    public record Change(long height, String header, String certificate, String validatorSet, String proof) {}

    private ValidatorSetChanges() {}

    /** The set trusted after following {@code changes} (in height order) up to and including {@code upTo}. */
    public static ValidatorSet follow(ValidatorSet trusted, List<Change> changes, long upTo)
            throws VerifiedSnapshot.RefusedException {
        ValidatorSet current = trusted;
        long previous = -1;
        for (Change c : changes) {
            if (c.height() > upTo) {
                break;
            }
            if (c.height() <= previous) {
                throw new VerifiedSnapshot.RefusedException("validator-set changes out of order at height " + c.height());
            }
            previous = c.height();
            BlockHeader header;
            FinalityCertificate cert;
            ValidatorSet next;
            TrieProof proof;
            try {
                Decoder d = new Decoder(Bytes.fromHex(c.header()));
                header = BlockHeader.decode(d);
                d.end("header");
                cert = FinalityCertificate.decode(Bytes.fromHex(c.certificate()));
                next = ValidatorSet.decode(Bytes.fromHex(c.validatorSet()));
                proof = TrieProof.decode(Bytes.fromHex(c.proof()));
            } catch (RuntimeException e) {
                throw new VerifiedSnapshot.RefusedException("the validator-set change at height " + c.height()
                        + " does not decode: " + e.getMessage());
            }
            var vote = cert.vote();
            if (header.height() != c.height() || vote.height() != c.height() || !vote.blockHash().equals(header.hash())
                    || !vote.stateRoot().equals(header.stateRoot())) {
                throw new VerifiedSnapshot.RefusedException("the certificate of the validator-set change at height "
                        + c.height() + " does not name its header");
            }
            Optional<String> problem = cert.check(current);
            if (problem.isPresent()) {
                throw new VerifiedSnapshot.RefusedException("the validator-set change at height " + c.height()
                        + " is not certified by the set in force: " + problem.get());
            }
            String bad = new StateProof(header.stateRoot(), ValidatorSet.STATE_KEY, next.encode(), proof).problem();
            if (bad != null) {
                throw new VerifiedSnapshot.RefusedException("the proof of the validator set after block " + c.height()
                        + " does not hold: " + bad);
            }
            current = next;
        }
        return current;
    }
}
