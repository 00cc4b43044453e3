package dev.verity.validator.api;

import static dev.verity.validator.api.ApiFixture.ALICE;
import static dev.verity.validator.api.ApiFixture.BOB;
import static dev.verity.validator.api.ApiFixture.NODE;
import static dev.verity.validator.api.ApiFixture.VRT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.core.Bytes;
import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.core.PublicKey;
import dev.verity.core.Sha256;
import dev.verity.ledger.block.Block;
import dev.verity.ledger.event.LedgerEvent;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.tx.Hardware;
import dev.verity.sdk.EventQuery;
import dev.verity.sdk.VerityApiException;
import dev.verity.sdk.Wallet;
import dev.verity.sdk.api.EventProofView;
import dev.verity.sdk.api.EventView;
import dev.verity.sdk.api.HeaderView;
import dev.verity.sdk.api.StateProofView;
import dev.verity.sdk.proof.ProofCheck;
import dev.verity.sdk.proof.ProofException;
import dev.verity.sdk.proof.ProofVerifier;
import dev.verity.sdk.proof.VerifiedEvent;
import dev.verity.sdk.proof.VerifiedRow;
import dev.verity.validator.LocalChain;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proofs served by a real validator (RocksDB in a temporary directory, the HTTP API, the SDK), checked offline by the
 * SDK's verifier: every kind verifies, what is absent proves absent, and tampering is refused with the check that failed.
 */
class ProofApiTest {
    static final PublicKey NOBODY = PrivateKey.deterministic("api-nobody").publicKey();

    @TempDir
    Path dir;
    ApiFixture f;
    final Hash model = Sha256.digest(Bytes.utf8("proof test model"));

    @BeforeEach
    void start() {
        f = new ApiFixture(dir);
    }

    @AfterEach
    void stop() {
        f.close();
    }

    /** A model, a node serving it, and a block of three transfers; returns that block. */
    private Block chainWithTransfers() {
        f.wallet(ALICE).registerModel(model, "echo", "bytes", "the same bytes", 2_000_000);
        f.produce();
        f.wallet(NODE).registerNode(2_000 * VRT, List.of(model), List.of(VerificationMode.NONE), Hardware.cpuOnly("test CPU", 4));
        f.produce();
        f.wallet(ALICE).transfer(BOB.publicKey(), 5 * VRT);
        f.wallet(BOB).transfer(ALICE.publicKey(), 2 * VRT);
        f.wallet(ALICE).transfer(BOB.publicKey(), 1 * VRT);
        return f.produce();
    }

    @Test
    void accountNodeAndModelProofsVerifyAgainstTheHeadBlockAndHoldTheRowsTheLedgerStores() {
        Block head = chainWithTransfers();
        StateProofView served = f.client.accountProof(ALICE.publicKey());
        VerifiedRow alice = ProofVerifier.account(served, ALICE.publicKey());
        assertThat(alice.present()).isTrue();
        assertThat(alice.blockHash()).isEqualTo(head.hash());
        assertThat(alice.header()).isEqualTo(head.header());
        assertThat(served.header()).isEqualTo(HeaderView.of(head.header()));
        assertThat(served.blockHash()).isEqualTo(f.client.latestBlock().hash());
        assertThat(served.table()).isEqualTo("accounts");
        assertThat(served.note()).isNull();
        assertThat(alice.value()).isEqualTo(f.chain.read(s -> s.accounts.encodeValue(s.account(ALICE.publicKey()))));

        VerifiedRow node = ProofVerifier.node(f.client.nodeProof(NODE.publicKey()), NODE.publicKey());
        assertThat(node.value()).isEqualTo(f.chain.read(s -> s.nodes.encodeValue(s.nodes.get(NODE.publicKey()))));
        VerifiedRow m = ProofVerifier.model(f.client.modelProof(model), model);
        assertThat(m.value()).isEqualTo(f.chain.read(s -> s.models.encodeValue(s.models.get(model))));

        StateProofView nobody = f.client.accountProof(NOBODY);
        assertThat(ProofVerifier.account(nobody, NOBODY).present()).isFalse();
        assertThat(nobody.value()).isNull();
        assertThat(nobody.note()).contains("never received funds");
        assertThat(ProofVerifier.node(f.client.nodeProof(NOBODY), NOBODY).present()).isFalse();
        Hash noModel = Sha256.digest(Bytes.utf8("no such model"));
        assertThat(ProofVerifier.model(f.client.modelProof(noModel), noModel).present()).isFalse();
    }

    @Test
    void aTamperedRowProofHeaderOrBlockHashIsRefusedWithTheCheckThatFailed() {
        chainWithTransfers();
        StateProofView good = f.client.accountProof(ALICE.publicKey());
        byte[] value = Bytes.fromHex(good.value());
        for (int i = 0; i < value.length; i++) {
            byte[] forged = value.clone();
            forged[i] ^= 0x01;
            StateProofView bad = new StateProofView(good.table(), good.id(), good.key(), Bytes.hex(forged), good.proof(),
                    good.header(), good.blockHash(), good.note());
            assertThat(refused(() -> ProofVerifier.account(bad, ALICE.publicKey())).check()).isEqualTo(ProofCheck.STATE_PROOF);
        }
        byte[] proof = Bytes.fromHex(good.proof());
        for (int i = 0; i < proof.length; i++) {
            byte[] forged = proof.clone();
            forged[i] ^= 0x01;
            StateProofView bad = new StateProofView(good.table(), good.id(), good.key(), good.value(), Bytes.hex(forged),
                    good.header(), good.blockHash(), good.note());
            assertThat(refused(() -> ProofVerifier.account(bad, ALICE.publicKey())).check()).as("proof byte %d", i)
                    .isIn(ProofCheck.FORMAT, ProofCheck.STATE_PROOF);
        }
        HeaderView h = good.header();
        StateProofView otherTime = new StateProofView(good.table(), good.id(), good.key(), good.value(), good.proof(),
                new HeaderView(h.chainId(), h.height(), h.previousHash(), h.timestampMillis() + 1, h.transactionsRoot(),
                        h.stateRoot(), h.eventsRoot(), h.producer()), good.blockHash(), good.note());
        ProofException e = refused(() -> ProofVerifier.account(otherTime, ALICE.publicKey()));
        assertThat(e.check()).isEqualTo(ProofCheck.BLOCK_HASH);
        assertThat(e.getMessage()).contains("hashes to", good.blockHash());
        StateProofView otherHash = new StateProofView(good.table(), good.id(), good.key(), good.value(), good.proof(),
                good.header(), Sha256.digest(Bytes.utf8("another block")).hex(), good.note());
        assertThat(refused(() -> ProofVerifier.account(otherHash, ALICE.publicKey())).check()).isEqualTo(ProofCheck.BLOCK_HASH);
        assertThat(refused(() -> ProofVerifier.account(good, BOB.publicKey())).check()).isEqualTo(ProofCheck.SUBJECT);
    }

    @Test
    void aLiveJobProvesPresentAndASettledRetiredJobProvesAbsent() {
        chainWithTransfers();
        Hash job = f.wallet(ALICE).submitJob(model, Bytes.utf8("hello"), VerificationMode.NONE, List.of(), VRT, 5);
        f.produce();
        assertThat(f.client.job(job).status()).isEqualTo("ASSIGNED");
        StateProofView live = f.client.jobProof(job);
        VerifiedRow assigned = ProofVerifier.job(live, job);
        assertThat(assigned.present()).isTrue();
        assertThat(assigned.value()).isEqualTo(f.chain.read(s -> s.jobs.encodeValue(s.jobs.get(job))));

        f.wallet(NODE).submitResult(job, Bytes.utf8("HELLO"), new byte[0]);
        Block settledIn = f.produce();
        assertThat(f.client.job(job).status()).isEqualTo("SETTLED");
        StateProofView gone = f.client.jobProof(job);
        VerifiedRow retired = ProofVerifier.job(gone, job);
        assertThat(retired.present()).isFalse();
        assertThat(retired.blockHash()).isEqualTo(settledIn.hash());
        assertThat(gone.note()).contains("finished", "left the state");
        // The old proof of presence does not hold against the new head.
        StateProofView stale = new StateProofView(live.table(), live.id(), live.key(), live.value(), live.proof(), gone.header(),
                gone.blockHash(), null);
        assertThat(refused(() -> ProofVerifier.job(stale, job)).check()).isEqualTo(ProofCheck.STATE_PROOF);

        // How it ended is proven by its events: JOB_SETTLED is an event of the block that settled it.
        EventView settled = f.client.events(EventQuery.forJob(job)).stream().filter(e -> e.type().equals("JOB_SETTLED"))
                .findFirst().orElseThrow();
        VerifiedEvent ev = ProofVerifier.event(f.client.eventProof(settled.height(), settled.index()), settled.height(),
                settled.index());
        LedgerEvent decoded = LedgerEvent.decode(ev.event());
        assertThat(decoded.type().name()).isEqualTo("JOB_SETTLED");
        assertThat(decoded.job()).isEqualTo(job);
    }

    @Test
    void everyEventOfBlocksWithAnOddAndAnEvenCountVerifiesAndAWrongIndexIsRefused() {
        Block transfers = chainWithTransfers();
        Hash job = f.wallet(ALICE).submitJob(model, Bytes.utf8("hello"), VerificationMode.NONE, List.of(), VRT, 5);
        f.produce();
        f.wallet(NODE).submitResult(job, Bytes.utf8("HELLO"), new byte[0]);
        Block settledIn = f.produce();
        List<EventView> all = f.client.events(EventQuery.all());
        List<Integer> counts = new ArrayList<>();
        for (Block b : List.of(transfers, settledIn)) {
            List<EventView> ofBlock = all.stream().filter(e -> e.height() == b.height()).toList();
            counts.add(ofBlock.size());
            for (EventView e : ofBlock) {
                EventProofView p = f.client.eventProof(b.height(), e.index());
                assertThat(p.eventCount()).isEqualTo(ofBlock.size());
                VerifiedEvent v = ProofVerifier.event(p, b.height(), e.index());
                assertThat(v.blockHash()).isEqualTo(b.hash());
                assertThat(LedgerEvent.decode(v.event()).type().name()).isEqualTo(e.type());
            }
        }
        assertThat(counts).as("a block of three transfers, and a settlement's six events").containsExactly(3, 6);

        EventProofView second = f.client.eventProof(settledIn.height(), 1);
        assertThat(refused(() -> ProofVerifier.event(second, settledIn.height(), 2)).check()).isEqualTo(ProofCheck.SUBJECT);
        EventProofView relabelled = new EventProofView(second.height(), 2, second.eventCount(), second.event(), second.path(),
                second.header(), second.blockHash());
        assertThat(refused(() -> ProofVerifier.event(relabelled, settledIn.height(), 2)).check()).isEqualTo(ProofCheck.EVENT_PROOF);
        byte[] event = Bytes.fromHex(second.event());
        event[event.length - 1] ^= 1;
        EventProofView forged = new EventProofView(second.height(), 1, second.eventCount(), Bytes.hex(event), second.path(),
                second.header(), second.blockHash());
        assertThat(refused(() -> ProofVerifier.event(forged, settledIn.height(), 1)).check()).isEqualTo(ProofCheck.EVENT_PROOF);

        VerityApiException outOfRange = apiError(() -> f.client.eventProof(transfers.height(), 3));
        assertThat(outOfRange.status()).isEqualTo(404);
        assertThat(outOfRange.code()).isEqualTo("NOT_FOUND");
        assertThat(outOfRange.getMessage()).contains("3 events", "0..2");
        VerityApiException noBlock = apiError(() -> f.client.eventProof(settledIn.height() + 5, 0));
        assertThat(noBlock.status()).isEqualTo(404);
        assertThat(noBlock.getMessage()).contains("no block at height " + (settledIn.height() + 5));
    }

    @Test
    void malformedIdsHeightsAndIndexesAreBadRequestsAndGenesisHasNoHeaderToProveAgainst() throws Exception {
        VerityApiException atGenesis = apiError(() -> f.client.accountProof(ALICE.publicKey()));
        assertThat(atGenesis.status()).isEqualTo(404);
        assertThat(atGenesis.getMessage()).contains("genesis");
        f.produce();
        assertThat(badRequest("/v1/accounts/xyz/proof")).contains("path parameter 'id'");
        assertThat(badRequest("/v1/nodes/12/proof")).contains("path parameter 'id'");
        assertThat(badRequest("/v1/models/" + "g".repeat(64) + "/proof")).contains("path parameter 'id'");
        assertThat(badRequest("/v1/jobs/abc/proof")).contains("path parameter 'id'");
        assertThat(badRequest("/v1/blocks/0/events/0/proof")).contains("path parameter 'height'", ">= 1");
        assertThat(badRequest("/v1/blocks/x/events/0/proof")).contains("path parameter 'height'");
        assertThat(badRequest("/v1/blocks/1/events/-1/proof")).contains("path parameter 'index'", ">= 0");
        assertThat(f.get("/v1/blocks/1/events/99999999999/proof").statusCode()).isEqualTo(404);
    }

    @Test
    void proofsTakenWhileBlocksCommitAlwaysPairTheHeaderWithItsState() throws Exception {
        chainWithTransfers();
        AtomicReference<Throwable> producerFailure = new AtomicReference<>();
        Thread producer = new Thread(() -> {
            try {
                Wallet alice = f.wallet(ALICE);
                for (int i = 0; i < 25; i++) {
                    alice.transfer(BOB.publicKey(), 1 + i);
                    f.produce();
                }
            } catch (Throwable t) {
                producerFailure.set(t);
            }
        });
        producer.start();
        int proofs = 0;
        while (producer.isAlive() || proofs == 0) {
            VerifiedRow row = ProofVerifier.account(f.client.accountProof(BOB.publicKey()), BOB.publicKey());
            assertThat(row.present()).isTrue();
            proofs++;
        }
        producer.join();
        assertThat(producerFailure.get()).isNull();
        assertThat(ProofVerifier.account(f.client.accountProof(BOB.publicKey()), BOB.publicKey()).header().height())
                .isEqualTo(f.chain.height());
    }

    @Test
    void theHeadHeaderFollowsEachBlockAndIsRestoredAfterARestart() {
        for (int i = 0; i < 3; i++) {
            f.wallet(ALICE).transfer(BOB.publicKey(), VRT);
            Block b = f.produce();
            boolean paired = f.chain.readAtHead((h, s) -> h.equals(b.header()) && h.stateRoot().equals(s.root()));
            assertThat(paired).isTrue();
        }
        long height = f.chain.height();
        f.close();
        try (LocalChain again = LocalChain.start(dir.resolve("data"), ApiFixture.genesis(), ApiFixture.VALIDATOR)) {
            VerifiedRow bob = ProofVerifier.account(again.client().accountProof(BOB.publicKey()), BOB.publicKey());
            assertThat(bob.header().height()).isEqualTo(height);
            assertThat(bob.header()).isEqualTo(again.chain().blockHeader(height).orElseThrow());
        } finally {
            f = new ApiFixture(dir.resolve("unused"));
        }
    }

    private String badRequest(String path) throws Exception {
        var res = f.get(path);
        assertThat(res.statusCode()).as(path).isEqualTo(400);
        var body = f.json(res.body());
        assertThat(body.get("code").asText()).isEqualTo("BAD_REQUEST");
        return body.get("message").asText();
    }

    private static ProofException refused(Runnable verification) {
        try {
            verification.run();
        } catch (ProofException e) {
            return e;
        }
        throw new AssertionError("the proof was accepted");
    }

    private static VerityApiException apiError(Runnable call) {
        try {
            call.run();
        } catch (VerityApiException e) {
            return e;
        }
        throw new AssertionError("the call succeeded");
    }
}
