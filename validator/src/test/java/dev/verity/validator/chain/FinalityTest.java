package dev.verity.validator.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verity.core.Bytes;
import dev.verity.core.PrivateKey;
import dev.verity.core.Sha256;
import dev.verity.ledger.block.Block;
import dev.verity.protocol.consensus.FinalityCertificate;
import dev.verity.protocol.consensus.FinalityVote;
import dev.verity.protocol.consensus.SignedVote;
import dev.verity.protocol.consensus.ValidatorSet;
import dev.verity.validator.storage.Retention;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Votes, certificates and equivocations as one validator's chain stores them. */
class FinalityTest {
    @TempDir
    Path dir;

    @Test
    void theOnlyValidatorCertifiesEveryBlockItProduces() {
        try (ChainNode node = ChainTraffic.open(dir, Retention.ARCHIVE)) {
            new ChainTraffic(node).blocks(3);
            for (long h = 1; h <= 3; h++) {
                FinalityCertificate cert = node.certificate(h).orElseThrow();
                Block block = node.block(h).orElseThrow();
                assertThat(cert.vote().blockHash()).isEqualTo(block.hash());
                assertThat(cert.vote().stateRoot()).isEqualTo(block.header().stateRoot());
                ValidatorSet set = node.signingSet(h).orElseThrow();
                assertThat(cert.check(set)).isEmpty();
                assertThat(cert.signers()).extracting(FinalityCertificate.Signer::validator)
                        .containsExactly(ChainTraffic.VALIDATOR.publicKey());
            }
            assertThat(node.finalizedHeight()).isEqualTo(3);
            assertThat(node.status().finalizedHeight()).isEqualTo(3);
        }
    }

    @Test
    void aSecondDifferentVoteAtOneHeightIsAnEquivocationAndTheSameVoteAgainChangesNothing() {
        try (ChainNode node = ChainTraffic.open(dir, Retention.ARCHIVE)) {
            new ChainTraffic(node).blocks(1);
            FinalityVote honest = node.voteFor(node.block(1).orElseThrow());
            SignedVote first = SignedVote.sign(honest, ChainTraffic.VALIDATOR);
            assertThat(node.applyVote(first, null)).isInstanceOf(VoteOutcome.Duplicate.class);
            FinalityVote other = new FinalityVote(honest.chainId(), 1, honest.blockHash(), Sha256.digest(Bytes.utf8("other")),
                    honest.validatorSetHash());
            VoteOutcome outcome = node.applyVote(SignedVote.sign(other, ChainTraffic.VALIDATOR), null);
            assertThat(outcome).isInstanceOf(VoteOutcome.Equivocation.class);
            VoteOutcome.Equivocation e = (VoteOutcome.Equivocation) outcome;
            assertThat(e.first().vote()).isEqualTo(honest);
            assertThat(e.second().vote()).isEqualTo(other);
            assertThat(node.certificate(1).orElseThrow().vote()).as("the certificate stays").isEqualTo(honest);
        }
    }

    @Test
    void votesFromOutsideTheSetWithBadSignaturesForOtherChainsOrUnexecutedHeightsAreIgnored() {
        try (ChainNode node = ChainTraffic.open(dir, Retention.ARCHIVE)) {
            new ChainTraffic(node).blocks(1);
            FinalityVote honest = node.voteFor(node.block(1).orElseThrow());
            assertThat(node.applyVote(SignedVote.sign(honest, PrivateKey.deterministic("stranger")), null))
                    .isInstanceOf(VoteOutcome.Ignored.class);
            SignedVote forged = new SignedVote(honest, ChainTraffic.VALIDATOR.publicKey(),
                    PrivateKey.deterministic("stranger").sign(honest.signingBytes()));
            assertThat(node.applyVote(forged, null)).isInstanceOf(VoteOutcome.Ignored.class);
            FinalityVote otherChain = new FinalityVote("another-chain", 1, honest.blockHash(), honest.stateRoot(),
                    honest.validatorSetHash());
            assertThat(node.applyVote(SignedVote.sign(otherChain, ChainTraffic.VALIDATOR), null))
                    .isInstanceOf(VoteOutcome.Ignored.class);
            FinalityVote ahead = new FinalityVote(honest.chainId(), 9, honest.blockHash(), honest.stateRoot(),
                    honest.validatorSetHash());
            assertThat(node.applyVote(SignedVote.sign(ahead, ChainTraffic.VALIDATOR), null))
                    .isInstanceOf(VoteOutcome.Ignored.class);
        }
    }

    @Test
    void theVoteSignerNeverSignsTwoVotesForOneHeightAcrossARestart() {
        PrivateKey key = PrivateKey.deterministic("signer");
        FinalityVote a = new FinalityVote("c", 5, Sha256.digest(Bytes.utf8("block")), Sha256.digest(Bytes.utf8("root a")),
                Sha256.digest(Bytes.utf8("set")));
        FinalityVote b = new FinalityVote("c", 5, a.blockHash(), Sha256.digest(Bytes.utf8("root b")), a.validatorSetHash());
        SignedVote signed = new VoteSigner(dir, key).sign(a).orElseThrow();
        VoteSigner afterRestart = new VoteSigner(dir, key);
        assertThat(afterRestart.sign(b)).as("another root at the same height").isEmpty();
        assertThat(afterRestart.sign(a)).as("the same vote is resent").contains(signed);
        FinalityVote lower = new FinalityVote("c", 4, a.blockHash(), a.stateRoot(), a.validatorSetHash());
        assertThat(afterRestart.sign(lower)).as("a height below the last signed").isEmpty();
        FinalityVote next = new FinalityVote("c", 6, a.blockHash(), a.stateRoot(), a.validatorSetHash());
        assertThat(afterRestart.sign(next)).isPresent();
        assertThat(new VoteSigner(dir, key).last().orElseThrow().vote()).isEqualTo(next);
    }

    @Test
    void aDamagedLastVoteFileStopsTheValidatorFromStartingRatherThanRiskingASecondVote() throws Exception {
        java.nio.file.Files.write(dir.resolve(VoteSigner.FILE), new byte[] {1, 2, 3});
        assertThatThrownBy(() -> new VoteSigner(dir, PrivateKey.deterministic("signer")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("last vote this validator signed");
    }
}
