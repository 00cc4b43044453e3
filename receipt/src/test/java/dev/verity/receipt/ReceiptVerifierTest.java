package dev.verity.receipt;

import static dev.verity.receipt.TestChain.CHAIN;
import static dev.verity.receipt.TestChain.JOB;
import static dev.verity.receipt.TestChain.OTHER_JOB;
import static dev.verity.receipt.TestChain.certify;
import static dev.verity.receipt.TestChain.jobEvents;
import static dev.verity.receipt.TestChain.key;
import static dev.verity.receipt.TestChain.set;
import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.core.Bytes;
import dev.verity.core.Hash;
import dev.verity.core.Merkle;
import dev.verity.core.PrivateKey;
import dev.verity.core.Sha256;
import dev.verity.core.trie.MemoryTrieStore;
import dev.verity.core.trie.MerkleTrie;
import dev.verity.ledger.event.EventType;
import dev.verity.ledger.event.LedgerEvent;
import dev.verity.protocol.block.BlockHeader;
import dev.verity.protocol.consensus.ValidatorSet;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Receipts made of real keys, headers, Merkle paths and trie proofs, verified and tampered with. */
class ReceiptVerifierTest {
    static final PrivateKey V1 = key("v1");
    static final PrivateKey V2 = key("v2");
    static final PrivateKey V3 = key("v3");
    static final PrivateKey V4 = key("v4");
    static final PrivateKey V5 = key("v5");
    static final PrivateKey V6 = key("v6");
    static final ValidatorSet A = set(V1, V2, V3, V4);
    static final ValidatorSet B = set(V3, V4, V5, V6);
    static final TrustedValidators TRUST_A = new TrustedValidators(CHAIN, A, 0);

    /** Blocks 1 to 3 signed by A; the job's events are in blocks 1 and 3. */
    static TestChain plainChain() {
        TestChain c = new TestChain(CHAIN, A);
        c.block(jobEvents(JOB, EventType.JOB_SUBMITTED));
        c.emptyBlock();
        c.block(jobEvents(JOB, EventType.JOB_ASSIGNED, EventType.RESULT_POSTED, EventType.JOB_SETTLED));
        return c;
    }

    static JobReceipt plainReceipt(TestChain c) {
        return new JobReceipt(CHAIN, JOB, List.of(c.certified(1, JOB, A, V1, V2, V3), c.certified(3, JOB, A, V2, V3, V4)),
                List.of());
    }

    /** Block 1 signed by A; block 2's state holds set B; block 3 is signed by B. */
    static TestChain changingChain() {
        TestChain c = new TestChain(CHAIN, A);
        c.block(jobEvents(JOB, EventType.JOB_SUBMITTED, EventType.JOB_ASSIGNED));
        c.block(List.of(LedgerEvent.of(EventType.GOVERNANCE_APPLIED, null, null, null, 0, "validators changed").encode()), B);
        c.block(jobEvents(JOB, EventType.RESULT_POSTED, EventType.JOB_SETTLED));
        return c;
    }

    static ValidatorSetChange changeAt2(TestChain c) {
        BlockHeader h2 = c.header(2);
        return ValidatorSetChange.of(h2, certify(h2, A, V1, V2, V4), c.setProof(2));
    }

    static JobReceipt changingReceipt(TestChain c) {
        return new JobReceipt(CHAIN, JOB, List.of(c.certified(1, JOB, A, V1, V2, V3), c.certified(3, JOB, B, V4, V5, V6)),
                List.of(changeAt2(c)));
    }

    @Test
    void aValidReceiptVerifiesAndListsTheJobsEventsAndTheirBlocks() {
        TestChain c = plainChain();
        JobReceipt r = plainReceipt(c);
        ReceiptVerification v = ReceiptVerifier.verify(r, TRUST_A);

        assertThat(v.valid()).as("%s", v).isTrue();
        assertThat(v.failed()).isNull();
        assertThat(v.job()).isEqualTo(JOB);
        assertThat(v.blocks()).extracting(ReceiptVerification.Block::height).containsExactly(1L, 3L);
        assertThat(v.blocks().get(0).blockHash()).isEqualTo(c.header(1).hash());
        assertThat(v.blocks().get(0).signers()).containsExactlyInAnyOrder(V1.publicKey(), V2.publicKey(), V3.publicKey());
        assertThat(v.blocks().get(0).signedStake()).isEqualTo(300);
        assertThat(v.blocks().get(0).totalStake()).isEqualTo(400);
        assertThat(v.blocks().get(0).validatorSetHash()).isEqualTo(A.hash());
        assertThat(v.events()).extracting(ReceiptVerification.Event::typeCode).containsExactly(
                EventType.JOB_SUBMITTED.code(), EventType.JOB_ASSIGNED.code(), EventType.RESULT_POSTED.code(),
                EventType.JOB_SETTLED.code());
        // jobEvents puts a transfer first and another job's event after each of the job's.
        assertThat(v.events()).extracting(ReceiptVerification.Event::index).containsExactly(1, 1, 3, 5);
        assertThat(v.events().get(3).event()).isEqualTo(c.events(3).get(5));
        assertThat(v.setChanges()).isEmpty();
    }

    @Test
    void theEncodingRoundTripsAndStartsWithTheMagicAndVersion() {
        JobReceipt r = changingReceipt(changingChain());
        byte[] bytes = r.encode();
        assertThat(new String(bytes, 0, 5, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("VRCPT");
        assertThat(bytes[5]).isEqualTo((byte) 1);
        JobReceipt back = JobReceipt.decode(bytes);
        assertThat(back).isEqualTo(r);
        assertThat(back.encode()).isEqualTo(bytes);
        assertThat(ReceiptVerifier.verify(bytes, TRUST_A).valid()).isTrue();
    }

    @Test
    void everySingleByteFlippedIsRefusedWithAReason() {
        byte[] bytes = changingReceipt(changingChain()).encode();
        assertThat(ReceiptVerifier.verify(bytes, TRUST_A).valid()).isTrue();
        EnumSet<ReceiptCheck> caught = EnumSet.noneOf(ReceiptCheck.class);
        for (int mask : new int[] {0x01, 0xFF}) {
            for (int i = 0; i < bytes.length; i++) {
                byte[] flipped = bytes.clone();
                flipped[i] ^= (byte) mask;
                ReceiptVerification v = ReceiptVerifier.verify(flipped, TRUST_A);
                assertThat(v.valid()).as("byte %d ^ %02x", i, mask).isFalse();
                assertThat(v.reason()).as("byte %d ^ %02x", i, mask).isNotBlank();
                assertThat(v.events()).isEmpty();
                caught.add(v.failed());
            }
        }
        assertThat(caught).as("each check catches some flip").containsExactlyInAnyOrder(ReceiptCheck.values());
    }

    /**
     * The documented limit of event paths: the events root does not commit to the leaf count, so a count that gives
     * every path of the block the same shape cannot be told from the real one (index 0 of 6 or of 7 leaves climbs the
     * same three levels). What is proven, that the event's bytes are a leaf of the block's events tree, is unchanged.
     */
    @Test
    void theEventCountIsBoundOnlyAsFarAsItShapesThePaths() {
        TestChain c = new TestChain(CHAIN, A);
        List<byte[]> job = jobEvents(JOB, EventType.JOB_SUBMITTED, EventType.JOB_SETTLED);
        byte[] transfer = job.get(0);
        byte[] other = job.get(2);
        // The job's submission is event 0 of 6 and its settlement event 4.
        List<byte[]> events = List.of(job.get(1), transfer, other, transfer, job.get(3), other);
        c.block(events);
        CertifiedBlock real = CertifiedBlock.of(c.header(1), certify(c.header(1), A, V1, V2, V3), events, JOB);
        CertifiedBlock onlyFirst = new CertifiedBlock(real.header(), real.certificate(), 6, List.of(real.events().get(0)));
        CertifiedBlock stated7 = new CertifiedBlock(real.header(), real.certificate(), 7, List.of(real.events().get(0)));
        CertifiedBlock stated9 = new CertifiedBlock(real.header(), real.certificate(), 9, List.of(real.events().get(0)));

        assertThat(ReceiptVerifier.verify(new JobReceipt(CHAIN, JOB, List.of(onlyFirst), List.of()), TRUST_A).valid()).isTrue();
        ReceiptVerification seven = ReceiptVerifier.verify(new JobReceipt(CHAIN, JOB, List.of(stated7), List.of()), TRUST_A);
        assertThat(seven.valid()).isTrue();
        assertThat(seven.blocks().getFirst().eventCount()).isEqualTo(7);
        assertThat(ReceiptVerifier.verify(new JobReceipt(CHAIN, JOB, List.of(stated9), List.of()), TRUST_A).failed())
                .isEqualTo(ReceiptCheck.EVENT_PROOF);
        // With more of the block's paths the count is pinned tighter: the settlement's path fits 6 leaves, not 7.
        CertifiedBlock both7 = new CertifiedBlock(real.header(), real.certificate(), 7, real.events());
        assertThat(real.events()).extracting(ReceiptEvent::index).containsExactly(0, 4);
        assertThat(ReceiptVerifier.verify(new JobReceipt(CHAIN, JOB, List.of(both7), List.of()), TRUST_A).failed())
                .isEqualTo(ReceiptCheck.EVENT_PROOF);
    }

    @Test
    void aCertificateOfTooLittleStakeIsRefused() {
        TestChain c = plainChain();
        JobReceipt r = new JobReceipt(CHAIN, JOB, List.of(c.certified(1, JOB, A, V1, V2)), List.of());
        ReceiptVerification v = ReceiptVerifier.verify(r, TRUST_A);
        assertThat(v.failed()).isEqualTo(ReceiptCheck.CERTIFICATE);
        assertThat(v.reason()).contains("200 of 400", "more than two thirds");
        assertThat(v.blocks()).isEmpty();
        assertThat(v.events()).isEmpty();
    }

    @Test
    void aSignerOutsideTheSetIsRefusedEvenBesideAQuorum() {
        TestChain c = plainChain();
        BlockHeader h = c.header(1);
        CertifiedBlock b = CertifiedBlock.of(h, certify(h, A, V1, V2, V3, V5), c.events(1), JOB);
        ReceiptVerification v = ReceiptVerifier.verify(new JobReceipt(CHAIN, JOB, List.of(b), List.of()), TRUST_A);
        assertThat(v.failed()).isEqualTo(ReceiptCheck.CERTIFICATE);
        assertThat(v.reason()).contains(V5.publicKey().hex(), "not in the validator set");
    }

    @Test
    void aHeaderOrAReceiptFromAnotherChainIsRefused() {
        TestChain other = new TestChain("another-chain", A);
        other.block(jobEvents(JOB, EventType.JOB_SUBMITTED));
        CertifiedBlock foreign = other.certified(1, JOB, A, V1, V2, V3);

        ReceiptVerification inside = ReceiptVerifier.verify(new JobReceipt(CHAIN, JOB, List.of(foreign), List.of()), TRUST_A);
        assertThat(inside.failed()).isEqualTo(ReceiptCheck.CHAIN);
        assertThat(inside.reason()).contains("header of block 1", "another-chain");

        ReceiptVerification whole = ReceiptVerifier.verify(new JobReceipt("another-chain", JOB, List.of(foreign), List.of()),
                TRUST_A);
        assertThat(whole.failed()).isEqualTo(ReceiptCheck.CHAIN);
        assertThat(whole.reason()).contains("the receipt is for chain 'another-chain'");
    }

    @Test
    void aReceiptForAnotherJobIsRefused() {
        TestChain c = plainChain();
        JobReceipt mine = plainReceipt(c);
        ReceiptVerification v = ReceiptVerifier.verify(new JobReceipt(CHAIN, OTHER_JOB, mine.blocks(), List.of()), TRUST_A);
        assertThat(v.failed()).isEqualTo(ReceiptCheck.EVENT_SUBJECT);
        assertThat(v.reason()).contains("is about job " + JOB.hex(), "not the receipt's job " + OTHER_JOB.hex());

        // The block's first event, a transfer, is proven but names no job.
        BlockHeader h = c.header(1);
        List<Hash> path = Merkle.path(c.events(1).stream().map(Merkle::leaf).toList(), 0);
        CertifiedBlock transfer = new CertifiedBlock(h, certify(h, A, V1, V2, V3), c.events(1).size(),
                List.of(new ReceiptEvent(0, c.events(1).get(0), path)));
        ReceiptVerification none = ReceiptVerifier.verify(new JobReceipt(CHAIN, JOB, List.of(transfer), List.of()), TRUST_A);
        assertThat(none.failed()).isEqualTo(ReceiptCheck.EVENT_SUBJECT);
        assertThat(none.reason()).contains("names no job");
    }

    @Test
    void aReceiptWithoutEventsIsRefused() {
        ReceiptVerification v = ReceiptVerifier.verify(new JobReceipt(CHAIN, JOB, List.of(), List.of()), TRUST_A);
        assertThat(v.failed()).isEqualTo(ReceiptCheck.EVENT_SUBJECT);
        assertThat(v.reason()).contains("holds no event");
    }

    @Test
    void aCertificateForAnotherBlockOrAWrongPathIsRefused() {
        TestChain c = plainChain();
        CertifiedBlock b1 = c.certified(1, JOB, A, V1, V2, V3);
        CertifiedBlock swapped = new CertifiedBlock(b1.header(), certify(c.header(2), A, V1, V2, V3), b1.eventCount(),
                b1.events());
        ReceiptVerification header = ReceiptVerifier.verify(new JobReceipt(CHAIN, JOB, List.of(swapped), List.of()), TRUST_A);
        assertThat(header.failed()).isEqualTo(ReceiptCheck.HEADER);
        assertThat(header.reason()).contains("for height 2");

        ReceiptEvent e = b1.events().getFirst();
        List<Hash> path = new ArrayList<>(e.path());
        path.set(0, Sha256.digest(Bytes.utf8("not a sibling")));
        CertifiedBlock badPath = new CertifiedBlock(b1.header(), b1.certificate(), b1.eventCount(),
                List.of(new ReceiptEvent(e.index(), e.event(), path)));
        ReceiptVerification proof = ReceiptVerifier.verify(new JobReceipt(CHAIN, JOB, List.of(badPath), List.of()), TRUST_A);
        assertThat(proof.failed()).isEqualTo(ReceiptCheck.EVENT_PROOF);
        assertThat(proof.reason()).contains("does not lead from event " + e.index(), "events root");
    }

    @Test
    void aSetChangeIsFollowed() {
        TestChain c = changingChain();
        ReceiptVerification v = ReceiptVerifier.verify(changingReceipt(c), TRUST_A);
        assertThat(v.valid()).as("%s", v).isTrue();
        assertThat(v.setChanges()).containsExactly(new ReceiptVerification.SetChange(2, c.header(2).hash(), B.hash(), 4, 400));
        assertThat(v.blocks().get(0).validatorSetHash()).isEqualTo(A.hash());
        assertThat(v.blocks().get(1).validatorSetHash()).isEqualTo(B.hash());
        assertThat(v.blocks().get(1).signers()).containsExactlyInAnyOrder(V4.publicKey(), V5.publicKey(), V6.publicKey());
        assertThat(v.events()).extracting(ReceiptVerification.Event::height).containsExactly(1L, 1L, 3L, 3L);
    }

    @Test
    void aSetChangeWithAForgedStateProofIsRefused() {
        TestChain c = changingChain();
        ValidatorSetChange real = changeAt2(c);

        // A proof of B's row from another state, whose root is not block 2's.
        MemoryTrieStore forged = new MemoryTrieStore();
        TreeMap<Hash, Hash> rows = new TreeMap<>();
        rows.put(Sha256.digest(ValidatorSet.STATE_KEY), Sha256.digest(B.encode()));
        forged.apply(MerkleTrie.update(forged, rows));
        ValidatorSetChange otherState = new ValidatorSetChange(real.header(), real.certificate(), B,
                MerkleTrie.prove(forged, Sha256.digest(ValidatorSet.STATE_KEY)));
        ReceiptVerification v = ReceiptVerifier.verify(withChange(c, otherState), TRUST_A);
        assertThat(v.failed()).isEqualTo(ReceiptCheck.SET_CHANGE);
        assertThat(v.reason()).contains("state proof of the new validator set", "state root " + c.header(2).stateRoot().hex());

        // Block 2's real proof, but claiming a set of the attacker's keys.
        ValidatorSet mallory = set(key("m1"), key("m2"), key("m3"));
        ValidatorSetChange claimed = new ValidatorSetChange(real.header(), real.certificate(), mallory, real.proof());
        JobReceipt byMallory = new JobReceipt(CHAIN, JOB, List.of(c.certified(1, JOB, A, V1, V2, V3),
                c.certified(3, JOB, mallory, key("m1"), key("m2"), key("m3"))), List.of(claimed));
        ReceiptVerification m = ReceiptVerifier.verify(byMallory, TRUST_A);
        assertThat(m.failed()).isEqualTo(ReceiptCheck.SET_CHANGE);
        assertThat(m.reason()).contains("hash to", "the proof holds value hash");

        // A change certified by too little of the set in force.
        ValidatorSetChange weak = new ValidatorSetChange(real.header(), certify(real.header(), A, V1, V2), B, real.proof());
        ReceiptVerification w = ReceiptVerifier.verify(withChange(c, weak), TRUST_A);
        assertThat(w.failed()).isEqualTo(ReceiptCheck.SET_CHANGE);
        assertThat(w.reason()).contains("not certified by the set in force", "more than two thirds");
    }

    private static JobReceipt withChange(TestChain c, ValidatorSetChange change) {
        return new JobReceipt(CHAIN, JOB, List.of(c.certified(1, JOB, A, V1, V2, V3), c.certified(3, JOB, B, V4, V5, V6)),
                List.of(change));
    }

    @Test
    void aBlockCertifiedByTheNewSetWithoutTheSetChangeIsRefused() {
        TestChain c = changingChain();
        JobReceipt r = new JobReceipt(CHAIN, JOB, List.of(c.certified(1, JOB, A, V1, V2, V3),
                c.certified(3, JOB, B, V4, V5, V6)), List.of());
        ReceiptVerification v = ReceiptVerifier.verify(r, TRUST_A);
        assertThat(v.failed()).isEqualTo(ReceiptCheck.CERTIFICATE);
        assertThat(v.reason()).contains("block 3", "validator set " + B.hash().hex(), "not the trusted set " + A.hash().hex());
    }

    @Test
    void aTrustedSetFromAfterAChangePassesOverItAndVouchesOnlyForWhatItSigned() {
        TestChain c = changingChain();
        JobReceipt r = changingReceipt(c);
        // Trusting B as of block 2 (as a client that fetched the set then would).
        TrustedValidators trustB = new TrustedValidators(CHAIN, B, 2);
        JobReceipt onlyLater = new JobReceipt(CHAIN, JOB, List.of(r.blocks().get(1)), r.setChanges());
        ReceiptVerification later = ReceiptVerifier.verify(onlyLater, trustB);
        assertThat(later.valid()).as("%s", later).isTrue();
        assertThat(later.skippedSetChanges()).isEqualTo(1);
        assertThat(later.setChanges()).isEmpty();

        // Block 1 was signed by A, which B cannot vouch for.
        ReceiptVerification earlier = ReceiptVerifier.verify(r, trustB);
        assertThat(earlier.failed()).isEqualTo(ReceiptCheck.CERTIFICATE);
        assertThat(earlier.reason()).contains("block 1", "at or below the trusted set's height 2");
    }

    @Test
    void twoHeadersForOneHeightAreRefused() {
        TestChain c = plainChain();
        // Another block 1, whose state holds set B, certified by the same validators: a fork of the chain.
        TestChain fork = new TestChain(CHAIN, A);
        fork.block(jobEvents(JOB, EventType.JOB_ASSIGNED), B);
        ValidatorSetChange forked = ValidatorSetChange.of(fork.header(1), certify(fork.header(1), A, V1, V2, V3),
                fork.setProof(1));
        JobReceipt r = new JobReceipt(CHAIN, JOB, List.of(c.certified(1, JOB, A, V1, V2, V3)), List.of(forked));
        ReceiptVerification v = ReceiptVerifier.verify(r, TRUST_A);
        assertThat(v.failed()).isEqualTo(ReceiptCheck.HEADER);
        assertThat(v.reason()).contains("two different headers for height 1");
    }
}
