package dev.verity.sdk.proof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verity.core.Bytes;
import dev.verity.core.Hash;
import dev.verity.core.Merkle;
import dev.verity.core.PrivateKey;
import dev.verity.core.PublicKey;
import dev.verity.core.Sha256;
import dev.verity.core.trie.MemoryTrieStore;
import dev.verity.core.trie.MerkleTrie;
import dev.verity.protocol.block.BlockHeader;
import dev.verity.protocol.state.StateTable;
import dev.verity.sdk.api.EventProofView;
import dev.verity.sdk.api.HeaderView;
import dev.verity.sdk.api.StateProofView;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The offline verifier over a trie and an events tree built here, without a chain: what holds, and each way it fails. */
class ProofVerifierTest {
    static final PublicKey ALICE = PrivateKey.deterministic("proof alice").publicKey();
    static final PublicKey BOB = PrivateKey.deterministic("proof bob").publicKey();
    static final PublicKey NOBODY = PrivateKey.deterministic("proof nobody").publicKey();
    static final Hash MODEL = Sha256.digest(Bytes.utf8("proof model"));
    static final byte[] ALICE_ROW = Bytes.utf8("alice's encoded account");
    static final List<byte[]> EVENTS = List.of(Bytes.utf8("e0"), Bytes.utf8("e1"), Bytes.utf8("e2"), Bytes.utf8("e3"),
            Bytes.utf8("e4"));

    final MemoryTrieStore trie = new MemoryTrieStore();
    final BlockHeader header;

    ProofVerifierTest() {
        TreeMap<Hash, Hash> rows = new TreeMap<>();
        put(rows, StateTable.ACCOUNTS.rowKey(ALICE), ALICE_ROW);
        put(rows, StateTable.ACCOUNTS.rowKey(BOB), Bytes.utf8("bob's"));
        put(rows, StateTable.MODELS.rowKey(MODEL), Bytes.utf8("a model"));
        trie.apply(MerkleTrie.update(trie, rows));
        header = new BlockHeader("verity-test", 7, Sha256.digest(Bytes.utf8("parent")), 1_767_225_600_000L,
                Sha256.digest(Bytes.utf8("txs")), MerkleTrie.root(trie), Merkle.root(leaves(EVENTS)),
                PrivateKey.deterministic("producer").publicKey());
    }

    private static void put(TreeMap<Hash, Hash> rows, byte[] key, byte[] value) {
        rows.put(Sha256.digest(key), Sha256.digest(value));
    }

    private static List<Hash> leaves(List<byte[]> events) {
        return events.stream().map(Merkle::leaf).toList();
    }

    StateProofView stateProof(StateTable table, byte[] key, byte[] value) {
        byte[] proof = MerkleTrie.prove(trie, Sha256.digest(key)).encode();
        return new StateProofView(table.tableName(), "id", Bytes.hex(key), value == null ? null : Bytes.hex(value),
                Bytes.hex(proof), HeaderView.of(header), header.hash().hex(), null);
    }

    EventProofView eventProof(BlockHeader h, List<byte[]> events, int index) {
        List<String> path = Merkle.path(leaves(events), index).stream().map(Hash::hex).toList();
        return new EventProofView(h.height(), index, events.size(), Bytes.hex(events.get(index)), path, HeaderView.of(h),
                h.hash().hex());
    }

    StateProofView alice() {
        return stateProof(StateTable.ACCOUNTS, StateTable.ACCOUNTS.rowKey(ALICE), ALICE_ROW);
    }

    static ProofCheck refusal(Runnable verification) {
        try {
            verification.run();
        } catch (ProofException e) {
            assertThat(e.getMessage()).isNotBlank();
            return e.check();
        }
        throw new AssertionError("the proof was accepted");
    }

    @Test
    void aPresentRowAndAnAbsentRowVerify() {
        VerifiedRow row = ProofVerifier.account(alice(), ALICE);
        assertThat(row.present()).isTrue();
        assertThat(row.value()).isEqualTo(ALICE_ROW);
        assertThat(row.blockHash()).isEqualTo(header.hash());
        assertThat(row.header()).isEqualTo(header);

        VerifiedRow absent = ProofVerifier.account(stateProof(StateTable.ACCOUNTS, StateTable.ACCOUNTS.rowKey(NOBODY), null), NOBODY);
        assertThat(absent.present()).isFalse();
        VerifiedRow model = ProofVerifier.model(stateProof(StateTable.MODELS, StateTable.MODELS.rowKey(MODEL), Bytes.utf8("a model")),
                MODEL);
        assertThat(model.value()).isEqualTo(Bytes.utf8("a model"));
    }

    @Test
    void everyTamperedByteOfTheRowIsRefusedByTheStateProof() {
        StateProofView good = alice();
        for (int i = 0; i < ALICE_ROW.length; i++) {
            byte[] forged = ALICE_ROW.clone();
            forged[i] ^= 0x01;
            StateProofView bad = new StateProofView(good.table(), good.id(), good.key(), Bytes.hex(forged), good.proof(),
                    good.header(), good.blockHash(), null);
            assertThat(refusal(() -> ProofVerifier.account(bad, ALICE))).isEqualTo(ProofCheck.STATE_PROOF);
        }
    }

    @Test
    void everyTamperedByteOfTheProofIsRefused() {
        for (StateProofView good : List.of(alice(), stateProof(StateTable.ACCOUNTS, StateTable.ACCOUNTS.rowKey(NOBODY), null))) {
            byte[] proof = Bytes.fromHex(good.proof());
            PublicKey who = good.value() == null ? NOBODY : ALICE;
            for (int i = 0; i < proof.length; i++) {
                byte[] forged = proof.clone();
                forged[i] ^= 0x01;
                StateProofView bad = new StateProofView(good.table(), good.id(), good.key(), good.value(), Bytes.hex(forged),
                        good.header(), good.blockHash(), null);
                assertThat(refusal(() -> ProofVerifier.account(bad, who))).as("byte %d", i)
                        .isIn(ProofCheck.FORMAT, ProofCheck.STATE_PROOF);
            }
        }
    }

    @Test
    void aTamperedHeaderFieldOrBlockHashIsRefusedByTheBlockHash() {
        StateProofView good = alice();
        HeaderView h = good.header();
        String other = Sha256.digest(Bytes.utf8("other")).hex();
        List<HeaderView> forged = List.of(
                new HeaderView("verity-main", h.height(), h.previousHash(), h.timestampMillis(), h.transactionsRoot(), h.stateRoot(),
                        h.eventsRoot(), h.producer()),
                new HeaderView(h.chainId(), h.height() + 1, h.previousHash(), h.timestampMillis(), h.transactionsRoot(),
                        h.stateRoot(), h.eventsRoot(), h.producer()),
                new HeaderView(h.chainId(), h.height(), other, h.timestampMillis(), h.transactionsRoot(), h.stateRoot(),
                        h.eventsRoot(), h.producer()),
                new HeaderView(h.chainId(), h.height(), h.previousHash(), h.timestampMillis() + 1, h.transactionsRoot(),
                        h.stateRoot(), h.eventsRoot(), h.producer()),
                new HeaderView(h.chainId(), h.height(), h.previousHash(), h.timestampMillis(), other, h.stateRoot(),
                        h.eventsRoot(), h.producer()),
                new HeaderView(h.chainId(), h.height(), h.previousHash(), h.timestampMillis(), h.transactionsRoot(), other,
                        h.eventsRoot(), h.producer()),
                new HeaderView(h.chainId(), h.height(), h.previousHash(), h.timestampMillis(), h.transactionsRoot(), h.stateRoot(),
                        other, h.producer()),
                new HeaderView(h.chainId(), h.height(), h.previousHash(), h.timestampMillis(), h.transactionsRoot(), h.stateRoot(),
                        h.eventsRoot(), BOB.hex()));
        for (HeaderView f : forged) {
            StateProofView bad = new StateProofView(good.table(), good.id(), good.key(), good.value(), good.proof(), f,
                    good.blockHash(), null);
            assertThat(refusal(() -> ProofVerifier.account(bad, ALICE))).as("%s", f).isEqualTo(ProofCheck.BLOCK_HASH);
        }
        byte[] hash = Bytes.fromHex(good.blockHash());
        for (int i = 0; i < hash.length; i++) {
            byte[] forgedHash = hash.clone();
            forgedHash[i] ^= (byte) 0x80;
            StateProofView bad = new StateProofView(good.table(), good.id(), good.key(), good.value(), good.proof(), good.header(),
                    Bytes.hex(forgedHash), null);
            assertThat(refusal(() -> ProofVerifier.account(bad, ALICE))).isEqualTo(ProofCheck.BLOCK_HASH);
        }
    }

    @Test
    void aHeaderForgedWithItsOwnHashStillFailsTheStateProof() {
        StateProofView good = alice();
        BlockHeader forged = new BlockHeader(header.chainId(), header.height(), header.previousHash(), header.timestampMillis(),
                header.transactionsRoot(), Sha256.digest(Bytes.utf8("another root")), header.eventsRoot(), header.producer());
        StateProofView bad = new StateProofView(good.table(), good.id(), good.key(), good.value(), good.proof(),
                HeaderView.of(forged), forged.hash().hex(), null);
        assertThat(refusal(() -> ProofVerifier.account(bad, ALICE))).isEqualTo(ProofCheck.STATE_PROOF);
    }

    @Test
    void aProofOfAnotherRowOrOfTheWrongPresenceIsRefused() {
        assertThat(refusal(() -> ProofVerifier.account(alice(), BOB))).isEqualTo(ProofCheck.SUBJECT);
        assertThat(refusal(() -> ProofVerifier.node(alice(), ALICE))).as("same id, another table").isEqualTo(ProofCheck.SUBJECT);
        StateProofView good = alice();
        StateProofView claimedAbsent = new StateProofView(good.table(), good.id(), good.key(), null, good.proof(), good.header(),
                good.blockHash(), null);
        assertThat(refusal(() -> ProofVerifier.account(claimedAbsent, ALICE))).isEqualTo(ProofCheck.STATE_PROOF);
        StateProofView absent = stateProof(StateTable.ACCOUNTS, StateTable.ACCOUNTS.rowKey(NOBODY), null);
        StateProofView claimedPresent = new StateProofView(absent.table(), absent.id(), absent.key(), Bytes.hex(ALICE_ROW),
                absent.proof(), absent.header(), absent.blockHash(), null);
        assertThat(refusal(() -> ProofVerifier.account(claimedPresent, NOBODY))).isEqualTo(ProofCheck.STATE_PROOF);
        // Alice's proof relabelled as Nobody's: the key path differs, so it proves nothing about Nobody.
        StateProofView relabelled = new StateProofView(good.table(), good.id(), absent.key(), null, good.proof(), good.header(),
                good.blockHash(), null);
        assertThat(refusal(() -> ProofVerifier.account(relabelled, NOBODY))).isEqualTo(ProofCheck.STATE_PROOF);
    }

    @Test
    void malformedFieldsAreRefusedAsFormat() {
        StateProofView good = alice();
        List<UnaryOperator<StateProofView>> breaks = List.of(
                p -> new StateProofView(p.table(), p.id(), "zz", p.value(), p.proof(), p.header(), p.blockHash(), null),
                p -> new StateProofView(p.table(), p.id(), p.key(), "abc", p.proof(), p.header(), p.blockHash(), null),
                p -> new StateProofView(p.table(), p.id(), p.key(), p.value(), null, p.header(), p.blockHash(), null),
                p -> new StateProofView(p.table(), p.id(), p.key(), p.value(), "02" + p.proof().substring(2), p.header(),
                        p.blockHash(), null),
                p -> new StateProofView(p.table(), p.id(), p.key(), p.value(), p.proof(), null, p.blockHash(), null),
                p -> new StateProofView(p.table(), p.id(), p.key(), p.value(), p.proof(), p.header(), "00", null),
                p -> new StateProofView(p.table(), p.id(), p.key(), p.value(), p.proof(), new HeaderView(null, 7,
                        p.header().previousHash(), 0, p.header().transactionsRoot(), p.header().stateRoot(),
                        p.header().eventsRoot(), p.header().producer()), p.blockHash(), null),
                p -> new StateProofView(p.table(), p.id(), p.key(), p.value(), p.proof(), new HeaderView("c", 7, "12",
                        0, p.header().transactionsRoot(), p.header().stateRoot(), p.header().eventsRoot(), p.header().producer()),
                        p.blockHash(), null));
        for (UnaryOperator<StateProofView> b : breaks) {
            assertThat(refusal(() -> ProofVerifier.account(b.apply(good), ALICE))).isEqualTo(ProofCheck.FORMAT);
        }
        assertThat(refusal(() -> ProofVerifier.account(null, ALICE))).isEqualTo(ProofCheck.FORMAT);
    }

    @Test
    void everyEventOfAnOddAndAnEvenBlockVerifies() {
        for (int n : new int[] {1, 4, 5}) {
            List<byte[]> events = EVENTS.subList(0, n);
            BlockHeader h = new BlockHeader(header.chainId(), header.height(), header.previousHash(), header.timestampMillis(),
                    header.transactionsRoot(), header.stateRoot(), Merkle.root(leaves(events)), header.producer());
            for (int i = 0; i < n; i++) {
                VerifiedEvent ev = ProofVerifier.event(eventProof(h, events, i), h.height(), i);
                assertThat(ev.event()).isEqualTo(events.get(i));
                assertThat(ev.blockHash()).isEqualTo(h.hash());
            }
        }
    }

    @Test
    void aTamperedOrMisplacedEventIsRefused() {
        EventProofView good = eventProof(header, EVENTS, 2);
        assertThat(refusal(() -> ProofVerifier.event(good, 7, 3))).isEqualTo(ProofCheck.SUBJECT);
        assertThat(refusal(() -> ProofVerifier.event(good, 8, 2))).isEqualTo(ProofCheck.SUBJECT);
        // The proof of event 2 relabelled as event 3: the path climbs on the wrong sides.
        EventProofView moved = new EventProofView(7, 3, 5, good.event(), good.path(), good.header(), good.blockHash());
        assertThat(refusal(() -> ProofVerifier.event(moved, 7, 3))).isEqualTo(ProofCheck.EVENT_PROOF);
        // Event 3's bytes under event 2's path.
        EventProofView swapped = new EventProofView(7, 2, 5, Bytes.hex(EVENTS.get(3)), good.path(), good.header(), good.blockHash());
        assertThat(refusal(() -> ProofVerifier.event(swapped, 7, 2))).isEqualTo(ProofCheck.EVENT_PROOF);
        EventProofView wrongCount = new EventProofView(7, 2, 4, good.event(), good.path(), good.header(), good.blockHash());
        assertThat(refusal(() -> ProofVerifier.event(wrongCount, 7, 2))).isEqualTo(ProofCheck.EVENT_PROOF);
        for (int s = 0; s < good.path().size(); s++) {
            List<String> path = new ArrayList<>(good.path());
            path.set(s, Sha256.digest(Bytes.utf8("forged " + s)).hex());
            EventProofView forged = new EventProofView(7, 2, 5, good.event(), path, good.header(), good.blockHash());
            assertThat(refusal(() -> ProofVerifier.event(forged, 7, 2))).isEqualTo(ProofCheck.EVENT_PROOF);
        }
        EventProofView shortPath = new EventProofView(7, 2, 5, good.event(), good.path().subList(1, good.path().size()),
                good.header(), good.blockHash());
        assertThat(refusal(() -> ProofVerifier.event(shortPath, 7, 2))).isEqualTo(ProofCheck.EVENT_PROOF);
        HeaderView h = good.header();
        EventProofView otherRoot = new EventProofView(7, 2, 5, good.event(), good.path(), new HeaderView(h.chainId(), 7,
                h.previousHash(), h.timestampMillis(), h.transactionsRoot(), h.stateRoot(), Sha256.digest(new byte[0]).hex(),
                h.producer()), good.blockHash());
        assertThat(refusal(() -> ProofVerifier.event(otherRoot, 7, 2))).isEqualTo(ProofCheck.BLOCK_HASH);
    }
}
