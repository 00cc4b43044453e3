package dev.verity.validator.chain;

import dev.verity.core.Bytes;
import dev.verity.core.Decoder;
import dev.verity.core.trie.TrieProof;
import dev.verity.protocol.block.BlockHeader;
import dev.verity.protocol.consensus.FinalityCertificate;
import dev.verity.protocol.consensus.ValidatorSet;
import dev.verity.receipt.ValidatorSetChange;
import java.util.List;
import java.util.Optional;

/**
 * Follows validator-set changes from a set this node trusts (as {@code GET /v1/validator-set-changes} serves them):
 * each change must be certified (the same check as a receipt's, {@link ValidatorSetChange#problemAfter}) by the set in force, name its header, and prove the new set's row under that header's
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
            ValidatorSetChange change;
            try {
                Decoder d = new Decoder(Bytes.fromHex(c.header()));
                BlockHeader header = BlockHeader.decode(d);
                d.end("header");
                change = new ValidatorSetChange(header, FinalityCertificate.decode(Bytes.fromHex(c.certificate())),
                        ValidatorSet.decode(Bytes.fromHex(c.validatorSet())), TrieProof.decode(Bytes.fromHex(c.proof())));
            } catch (RuntimeException e) {
                throw new VerifiedSnapshot.RefusedException("the validator-set change at height " + c.height()
                        + " does not decode: " + e.getMessage());
            }
            if (change.height() != c.height()) {
                throw new VerifiedSnapshot.RefusedException("the validator-set change served for height " + c.height()
                        + " holds the header of block " + change.height());
            }
            Optional<String> problem = change.problemAfter(current);
            if (problem.isPresent()) {
                throw new VerifiedSnapshot.RefusedException(problem.get());
            }
            current = change.set();
        }
        return current;
    }
}
