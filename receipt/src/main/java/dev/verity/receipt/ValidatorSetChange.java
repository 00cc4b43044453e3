package dev.verity.receipt;

import dev.verity.core.DecodingException;
import dev.verity.core.Hash;
import dev.verity.core.trie.TrieProof;
import dev.verity.protocol.block.BlockHeader;
import dev.verity.protocol.consensus.FinalityCertificate;
import dev.verity.protocol.consensus.FinalityVote;
import dev.verity.protocol.consensus.ValidatorSet;
import dev.verity.protocol.state.StateProof;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A change of the validator set that a receipt's later blocks need: the header of the block after which the set is
 * {@code set}, that block's finality certificate (signed by the set in force before it), and the trie proof of the
 * set's state row ({@link ValidatorSet#STATE_KEY}, value {@code set.encode()}) against the header's state root. The set
 * stored in the state after block {@code h} signs the blocks from {@code h + 1}.
 */
public record ValidatorSetChange(BlockHeader header, FinalityCertificate certificate, ValidatorSet set, TrieProof proof) {
    public ValidatorSetChange {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(set, "set");
        Objects.requireNonNull(proof, "proof");
    }

    /**
     * The change that {@code stateProof} (of the validator-set row, against {@code header}'s state root, as the ledger
     * makes it) shows.
     *
     * @throws IllegalArgumentException when the proof is of another row, against another root, or of an absent or
     *                                  unreadable row
     */
    public static ValidatorSetChange of(BlockHeader header, FinalityCertificate certificate, StateProof stateProof) {
        if (!Arrays.equals(stateProof.key(), ValidatorSet.STATE_KEY)) {
            throw new IllegalArgumentException("a validator-set change needs a proof of the validator-set row, not another row");
        }
        if (!stateProof.root().equals(header.stateRoot())) {
            throw new IllegalArgumentException("the proof is against state root " + stateProof.root().hex() + ", not block "
                    + header.height() + "'s " + header.stateRoot().hex());
        }
        if (stateProof.value() == null) {
            throw new IllegalArgumentException("the proof shows no validator set in the state after block " + header.height());
        }
        ValidatorSet set;
        try {
            set = ValidatorSet.decode(stateProof.value());
        } catch (DecodingException | IllegalArgumentException | ArithmeticException e) {
            throw new IllegalArgumentException("the validator-set row after block " + header.height() + " does not decode: "
                    + e.getMessage(), e);
        }
        return new ValidatorSetChange(header, certificate, set, stateProof.proof());
    }

    /** The proof of the set's row against the header's state root, ready to check ({@link StateProof#problem()}). */
    public StateProof stateProof() {
        return new StateProof(header.stateRoot(), ValidatorSet.STATE_KEY, set.encode(), proof);
    }

    /**
     * What keeps this change from being followed after {@code inForce}, the set that signs block {@link #height()}:
     * a certificate that does not name the header, too little of {@code inForce}'s stake behind it, or a state proof
     * of the new set that does not hold. Empty when the change holds. Receipts and snapshot catch-up both use it.
     */
    public Optional<String> problemAfter(ValidatorSet inForce) {
        FinalityVote vote = certificate.vote();
        long h = height();
        if (vote.height() != h || !vote.blockHash().equals(header.hash()) || !vote.stateRoot().equals(header.stateRoot())) {
            return Optional.of("the certificate of the validator-set change at height " + h + " does not name its header");
        }
        Optional<String> uncertified = certificate.check(inForce);
        if (uncertified.isPresent()) {
            return Optional.of("the validator-set change at height " + h + " is not certified by the set in force there ("
                    + inForce.hash().hex() + "): " + uncertified.get());
        }
        String proof = stateProof().problem();
        if (proof != null) {
            return Optional.of("the state proof of the new validator set " + set.hash().hex() + " does not hold against the "
                    + "state root " + header.stateRoot().hex() + " of block " + h + ": " + proof);
        }
        return Optional.empty();
    }

    /** The height of the block after which {@link #set()} is the validator set. */
    public long height() {
        return header.height();
    }

    public Hash blockHash() {
        return header.hash();
    }
}
