package dev.verity.validator.chain;

import dev.verity.protocol.block.BlockHeader;
import dev.verity.protocol.consensus.FinalityCertificate;
import dev.verity.protocol.consensus.FinalityVote;
import dev.verity.protocol.consensus.SignedVote;
import dev.verity.protocol.consensus.ValidatorSet;
import dev.verity.validator.storage.ChainStore;
import dev.verity.validator.storage.FinalityWrite;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Votes and certificates of a chain, kept in the store's finality rows. Votes are applied in one order on every
 * validator (the replicated log's), so every validator stores the same votes, forms the same certificate at the same
 * vote, and detects the same equivocations. Not thread-safe: {@link ChainNode} calls it under its lock.
 */
final class Finality {
    private final ChainStore store;
    private final String chainId;
    private long finalizedHeight;

    Finality(ChainStore store, String chainId, long headHeight) {
        this.store = store;
        this.chainId = chainId;
        for (long h = headHeight; h >= 1 && h > headHeight - 10_000; h--) {
            if (store.finality(FinalityKeys.at(FinalityKeys.CERTIFICATE, h)).isPresent()) {
                finalizedHeight = h;
                break;
            }
        }
    }

    long finalizedHeight() {
        return finalizedHeight;
    }

    Optional<ValidatorSet> signingSet(long height) {
        return store.finality(FinalityKeys.at(FinalityKeys.SIGNING_SET, height)).map(ValidatorSet::decode);
    }

    Optional<FinalityCertificate> certificate(long height) {
        return store.finality(FinalityKeys.at(FinalityKeys.CERTIFICATE, height)).map(FinalityCertificate::decode);
    }

    /** The stored proof of the set's row after {@code height}, when that block changed the set. */
    Optional<byte[]> setProof(long height) {
        return store.finality(FinalityKeys.at(FinalityKeys.SET_PROOF, height));
    }

    List<Long> setChangeHeights(long from, long to) {
        List<Long> out = new ArrayList<>();
        byte[] prefix = {(byte) FinalityKeys.SET_PROOF};
        for (Map.Entry<byte[], byte[]> row : store.finalityRows(FinalityKeys.at(FinalityKeys.SET_PROOF, Math.max(0, from)),
                prefix, 100_000)) {
            byte[] k = row.getKey();
            long h = new dev.verity.core.Decoder(java.util.Arrays.copyOfRange(k, 1, 9)).u64("height");
            if (h > to) {
                break;
            }
            out.add(h);
        }
        return out;
    }

    Optional<SignedVote> vote(long height, dev.verity.core.PublicKey validator) {
        return store.finality(FinalityKeys.vote(height, validator).bytes()).map(SignedVote::decode);
    }

    /**
     * Applies one vote. {@code header} is this node's block at the vote's height (null when it has none), used to
     * notice that a quorum certified a block this node did not execute to: a determinism failure it must not hide.
     *
     * @param applied the log position this vote completes (stored with it), or null outside a replicated log
     */
    VoteOutcome apply(SignedVote v, BlockHeader header, byte[] applied) {
        FinalityVote vote = v.vote();
        if (!vote.chainId().equals(chainId)) {
            return new VoteOutcome.Ignored("the vote is for chain " + vote.chainId());
        }
        Optional<ValidatorSet> set = signingSet(vote.height());
        if (set.isEmpty() || header == null) {
            return new VoteOutcome.Ignored("block " + vote.height() + " is not executed here");
        }
        if (!set.get().contains(v.validator())) {
            return new VoteOutcome.Ignored(v.validator().hex() + " does not sign height " + vote.height());
        }
        if (!v.verify()) {
            return new VoteOutcome.Ignored("the vote of " + v.validator().hex() + " at height " + vote.height()
                    + " has a bad signature");
        }
        Optional<SignedVote> earlier = vote(vote.height(), v.validator());
        if (earlier.isPresent()) {
            return earlier.get().vote().equals(vote) ? new VoteOutcome.Duplicate(v)
                    : new VoteOutcome.Equivocation(earlier.get(), v);
        }
        Map<dev.verity.core.ByteKey, byte[]> rows = new TreeMap<>();
        rows.put(FinalityKeys.vote(vote.height(), v.validator()), v.encode());
        FinalityCertificate formed = null;
        if (certificate(vote.height()).isEmpty() && vote.validatorSetHash().equals(set.get().hash())) {
            List<SignedVote> agreeing = new ArrayList<>();
            agreeing.add(v);
            long stake = set.get().stakeOf(v.validator());
            for (Map.Entry<byte[], byte[]> row : store.finalityRows(FinalityKeys.at(FinalityKeys.VOTE, vote.height()),
                    ValidatorSet.MAX_MEMBERS + 1)) {
                SignedVote other = SignedVote.decode(row.getValue());
                if (other.vote().equals(vote)) {
                    agreeing.add(other);
                    stake += set.get().stakeOf(other.validator());
                }
            }
            if (set.get().isQuorum(stake)) {
                formed = FinalityCertificate.of(vote, agreeing);
                rows.put(FinalityKeys.key(FinalityKeys.CERTIFICATE, vote.height()), formed.encode());
            }
        }
        store.writeFinality(new FinalityWrite(rows, applied));
        if (formed == null) {
            return new VoteOutcome.Recorded(v);
        }
        finalizedHeight = Math.max(finalizedHeight, vote.height());
        if (!header.hash().equals(vote.blockHash()) || !header.stateRoot().equals(vote.stateRoot())) {
            throw new DivergedException(vote.height(), header, vote);
        }
        return new VoteOutcome.Certified(formed);
    }

    /** The rows that record which set signs {@code height}, for the block commit that executes it. */
    static void signingSetRow(Map<dev.verity.core.ByteKey, byte[]> rows, long height, ValidatorSet set) {
        rows.put(FinalityKeys.key(FinalityKeys.SIGNING_SET, height), set.encode());
    }

    static void setProofRow(Map<dev.verity.core.ByteKey, byte[]> rows, long height, byte[] proof) {
        rows.put(FinalityKeys.key(FinalityKeys.SET_PROOF, height), proof);
    }

    /** A quorum certified a block or root other than the one this node executed: its execution is not deterministic. */
    static final class DivergedException extends RuntimeException {
        DivergedException(long height, BlockHeader mine, FinalityVote certified) {
            super("validators holding more than two thirds of the stake certified block " + height + " as "
                    + certified.blockHash().hex() + " with state root " + certified.stateRoot().hex() + ", but this node "
                    + "executed it to block " + mine.hash().hex() + " with state root " + mine.stateRoot().hex()
                    + "; its execution differs from the network's: stop it and re-sync its data directory");
        }
    }
}
