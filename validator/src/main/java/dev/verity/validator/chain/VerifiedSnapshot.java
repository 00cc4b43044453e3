package dev.verity.validator.chain;

import dev.verity.ledger.block.Block;
import dev.verity.ledger.state.StateBackend;
import dev.verity.ledger.state.StateRebuild;
import dev.verity.protocol.consensus.FinalityCertificate;
import dev.verity.protocol.consensus.ValidatorSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A snapshot checked against a finality certificate: the certificate holds for the validator set this node trusts, it
 * names the snapshot's block and state root, and the rows rebuild exactly that root. Whichever peer sent it, a node
 * installs only this. {@code rows} holds the state's rows and the trie nodes rebuilt from them.
 */
public record VerifiedSnapshot(long height, Block block, List<StateBackend.Row> rows, FinalityCertificate certificate,
                               ValidatorSet signingSet, byte[] applied) {

    /** Thrown with the check that failed. */
    public static final class RefusedException extends Exception {
        public RefusedException(String message) {
            super(message);
        }
    }

    public static VerifiedSnapshot verify(String chainId, ValidatorSet trusted, SnapshotStream.Received s,
                                          FinalityCertificate certificate) throws RefusedException {
        if (!s.chainId().equals(chainId)) {
            throw new RefusedException("the snapshot is of chain " + s.chainId() + ", not " + chainId);
        }
        Block block;
        try {
            block = Block.decode(s.blockBytes());
        } catch (RuntimeException e) {
            throw new RefusedException("the snapshot's head block does not decode: " + e.getMessage());
        }
        if (!block.header().chainId().equals(chainId) || block.height() != s.height()) {
            throw new RefusedException("the snapshot's head block is block " + block.height() + " of chain "
                    + block.header().chainId() + ", but the snapshot claims height " + s.height() + " of " + chainId);
        }
        var vote = certificate.vote();
        if (!vote.chainId().equals(chainId) || vote.height() != block.height() || !vote.blockHash().equals(block.hash())
                || !vote.stateRoot().equals(block.header().stateRoot())) {
            throw new RefusedException("the certificate is for block " + vote.height() + " " + vote.blockHash().hex()
                    + ", not the snapshot's block " + block.height() + " " + block.hash().hex());
        }
        Optional<String> problem = certificate.check(trusted);
        if (problem.isPresent()) {
            throw new RefusedException("the snapshot's block is not certified by the validators this node trusts: "
                    + problem.get());
        }
        List<StateBackend.Row> all = new ArrayList<>(s.rows().size() * 3);
        var root = StateRebuild.rebuild(s.rows(), (k, v) -> all.add(new StateBackend.Row(k, v)));
        if (!root.equals(block.header().stateRoot())) {
            throw new RefusedException("the snapshot's rows hash to state root " + root.hex() + ", but its certified block "
                    + block.height() + " has state root " + block.header().stateRoot().hex());
        }
        return new VerifiedSnapshot(block.height(), block, all, certificate, trusted, s.applied());
    }
}
