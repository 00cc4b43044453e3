package dev.verity.validator.api;

import static dev.verity.validator.api.ApiFixture.ALICE;
import static dev.verity.validator.api.ApiFixture.BOB;
import static dev.verity.validator.api.ApiFixture.INITIAL_BALANCE;
import static dev.verity.validator.api.ApiFixture.NODE;
import static dev.verity.validator.api.ApiFixture.STRANGER;
import static dev.verity.validator.api.ApiFixture.VALIDATOR;
import static dev.verity.validator.api.ApiFixture.VRT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verity.core.Bytes;
import dev.verity.core.Hash;
import dev.verity.core.Sha256;
import dev.verity.ledger.block.Block;
import dev.verity.protocol.Params;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.schema.InputSchema;
import dev.verity.protocol.tx.Hardware;
import dev.verity.protocol.tx.Payload;
import dev.verity.sdk.EventQuery;
import dev.verity.sdk.EventSubscription;
import dev.verity.sdk.InputSchemas;
import dev.verity.sdk.JobQuery;
import dev.verity.sdk.Wallet;
import dev.verity.sdk.api.AccountView;
import dev.verity.sdk.api.BlockView;
import dev.verity.sdk.api.EventView;
import dev.verity.sdk.api.JobView;
import dev.verity.sdk.api.ModelView;
import dev.verity.sdk.api.NodeView;
import dev.verity.sdk.api.StatusView;
import dev.verity.sdk.api.TransactionReceipt;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole path a user takes, over real HTTP through the SDK: accounts, models, nodes, a job from submission to settlement. */
class ApiLifecycleTest {
    private static final List<String> SETTLED_JOB_EVENTS = List.of("JOB_SUBMITTED", "JOB_ASSIGNED", "RESULT_POSTED", "NODE_PAID",
            "VALIDATOR_PAID", "TREASURY_PAID", "CLIENT_REFUNDED", "JOB_SETTLED");

    @TempDir
    Path dir;
    ApiFixture f;

    @BeforeEach
    void start() {
        f = new ApiFixture(dir);
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void transferMovesBalancesAndReceiptsFollowTheTransaction() {
        Wallet alice = f.wallet(ALICE);
        AccountView before = f.client.account(STRANGER.publicKey());
        assertThat(before).isEqualTo(new AccountView(STRANGER.publicKey().hex(), 0, 0, 0));

        Hash tx = alice.transfer(STRANGER.publicKey(), 5 * VRT);
        assertThat(f.client.receipt(tx)).isEqualTo(new TransactionReceipt(tx.hex(), "PENDING", 0));
        AccountView pending = f.client.account(ALICE.publicKey());
        assertThat(pending.nonce()).isZero();
        assertThat(pending.nextNonce()).isEqualTo(1);
        assertThat(f.client.status().mempoolSize()).isEqualTo(1);

        Block b = f.produce();
        assertThat(f.client.awaitReceipt(tx, Duration.ofSeconds(5))).isEqualTo(new TransactionReceipt(tx.hex(), "INCLUDED", 1));
        assertThat(f.client.account(ALICE.publicKey())).isEqualTo(new AccountView(ALICE.publicKey().hex(), INITIAL_BALANCE - 5 * VRT, 1, 1));
        assertThat(f.client.account(STRANGER.publicKey()).balance()).isEqualTo(5 * VRT);

        StatusView status = f.client.status();
        assertThat(status.chainId()).isEqualTo(ApiFixture.CHAIN_ID);
        assertThat(status.height()).isEqualTo(1);
        assertThat(status.headHash()).isEqualTo(b.hash().hex());
        assertThat(status.mempoolSize()).isZero();
        assertThat(status.validator()).isEqualTo(VALIDATOR.publicKey().hex());
        BlockView latest = f.client.latestBlock();
        assertThat(latest).isEqualTo(f.client.block(1));
        assertThat(latest.hash()).isEqualTo(b.hash().hex());
        assertThat(latest.transactions()).containsExactly(tx.hex());

        List<EventView> events = f.client.events(EventQuery.forAccount(STRANGER.publicKey()));
        assertThat(events).extracting(EventView::type).containsExactly("TRANSFER");
        assertThat(events.get(0).amount()).isEqualTo(5 * VRT);
    }

    @Test
    void walletCountsNoncesAndRecoversFromABadNonceOnce() {
        Wallet alice = f.wallet(ALICE);
        Hash t1 = alice.transfer(BOB.publicKey(), 1);
        Hash t2 = alice.transfer(BOB.publicKey(), 2);
        assertThat(alice.nextNonce()).isEqualTo(2);
        // Another program uses the same key meanwhile: the wallet's count is now behind.
        Wallet other = f.wallet(ALICE);
        Hash t3 = other.transfer(BOB.publicKey(), 3);
        Hash t4 = alice.transfer(BOB.publicKey(), 4);
        assertThat(alice.nextNonce()).isEqualTo(4);

        f.produce();
        for (Hash h : List.of(t1, t2, t3, t4)) {
            assertThat(f.client.receipt(h).status()).as("tx %s", h).isEqualTo("INCLUDED");
        }
        assertThat(f.client.account(BOB.publicKey()).balance()).isEqualTo(INITIAL_BALANCE + 10);
    }

    @Test
    void jobGoesFromSubmissionToSettlementAndEveryViewShowsIt() throws Exception {
        Wallet alice = f.wallet(ALICE);
        Wallet node = f.wallet(NODE);
        Hash model = Sha256.digest(Bytes.utf8("api test model"));

        Hash reg = alice.registerModel(model, "echo", "bytes", "the same bytes", 2_000_000);
        f.produce();
        assertThat(f.client.awaitReceipt(reg, Duration.ofSeconds(5)).status()).isEqualTo("INCLUDED");
        assertThat(f.client.models()).containsExactly(new ModelView(model.hex(), ALICE.publicKey().hex(), "echo", "bytes",
                "the same bytes", 2_000_000, InputSchemas.view(new InputSchema.Utf8Text(1, 64 * 1024)), 1, null));
        assertThat(f.client.model(model).name()).isEqualTo("echo");

        long stake = 2_000 * VRT;
        node.registerNode(stake, List.of(model), List.of(VerificationMode.NONE), Hardware.cpuOnly("test CPU", 4));
        f.produce();
        NodeView registered = f.client.node(NODE.publicKey());
        assertThat(registered.stake()).isEqualTo(stake);
        assertThat(registered.status()).isEqualTo("ACTIVE");
        assertThat(registered.models()).containsExactly(model.hex());
        assertThat(registered.modes()).containsExactly("NONE");
        assertThat(registered.cpuModel()).isEqualTo("test CPU");
        assertThat(f.client.nodes()).containsExactly(registered);
        assertThat(f.client.account(NODE.publicKey()).balance()).isEqualTo(INITIAL_BALANCE - stake);

        BlockingQueue<EventView> all = new LinkedBlockingQueue<>();
        List<Throwable> streamErrors = new ArrayList<>();
        try (EventSubscription everything = f.client.streamEvents(EventQuery.all(), all::add, streamErrors::add)) {
            byte[] input = Bytes.utf8("hello, verity");
            long maxFee = VRT;
            Hash job = alice.submitJob(model, input, VerificationMode.NONE, List.of(), maxFee, 5);
            assertThat(f.client.receipt(job).status()).isEqualTo("PENDING");

            BlockingQueue<EventView> forJob = new LinkedBlockingQueue<>();
            try (EventSubscription jobStream = f.client.streamEvents(EventQuery.forJob(job), forJob::add)) {
                Block assignedIn = f.produce();
                JobView assigned = f.client.job(job);
                assertThat(assigned.status()).isEqualTo("ASSIGNED");
                assertThat(assigned.assignedNode()).isEqualTo(NODE.publicKey().hex());
                assertThat(assigned.client()).isEqualTo(ALICE.publicKey().hex());
                assertThat(assigned.deadlineHeight()).isEqualTo(assignedIn.height() + 5);
                assertThat(Base64.getDecoder().decode(assigned.input())).isEqualTo(input);
                assertThat(assigned.output()).isNull();
                assertThat(f.client.block(assignedIn.height()).transactions()).containsExactly(job.hex());

                List<JobView> todo = f.client.jobs(JobQuery.assignedTo(NODE.publicKey()));
                assertThat(todo).extracting(JobView::id).containsExactly(job.hex());
                assertThat(todo.get(0).input()).as("lists leave the input out").isNull();
                assertThat(todo.get(0)).isEqualTo(assigned.summary());
                assertThat(f.client.jobs(JobQuery.all().withStatus("SETTLED"))).isEmpty();

                byte[] output = Bytes.utf8("HELLO, VERITY");
                Hash result = node.submitResult(job, output, new byte[0]);
                Block settledIn = f.produce();
                assertThat(f.client.awaitReceipt(result, Duration.ofSeconds(5)).height()).isEqualTo(settledIn.height());

                JobView settled = f.client.job(job);
                assertThat(settled.status()).isEqualTo("SETTLED");
                assertThat(settled.settledAt()).isEqualTo(settledIn.height());
                assertThat(Base64.getDecoder().decode(settled.output())).isEqualTo(output);
                assertThat(settled.outputHash()).isEqualTo(Sha256.digest(output).hex());
                assertThat(f.client.jobs(JobQuery.forClient(ALICE.publicKey()).withStatus("settled")))
                        .extracting(JobView::id).containsExactly(job.hex());
                assertThat(f.client.jobs(JobQuery.assignedTo(NODE.publicKey()))).isEmpty();

                // Stored events, in chain order.
                List<EventView> stored = f.client.events(EventQuery.forJob(job));
                assertThat(stored).extracting(EventView::type).containsExactlyElementsOf(SETTLED_JOB_EVENTS);
                assertThat(stored).allSatisfy(e -> assertThat(e.job()).isEqualTo(job.hex()));
                long fee = settled.fee();
                assertThat(stored.get(3).amount() + stored.get(4).amount() + stored.get(5).amount()).isEqualTo(fee);
                assertThat(stored.get(6).amount()).isEqualTo(maxFee - fee);
                assertThat(f.client.events(EventQuery.forJob(job).withFromHeight(settledIn.height())))
                        .extracting(EventView::type).containsExactlyElementsOf(SETTLED_JOB_EVENTS.subList(2, SETTLED_JOB_EVENTS.size()));
                assertThat(f.client.events(EventQuery.forJob(job).withLimit(2))).isEqualTo(stored.subList(0, 2));

                // The live streams saw the same events in the same order.
                assertThat(take(forJob, stored.size())).isEqualTo(stored);
                List<EventView> liveAll = take(all, countEventsFrom(assignedIn.height()));
                assertThat(liveAll.stream().filter(e -> job.hex().equals(e.job())).toList()).isEqualTo(stored);
                assertThat(liveAll).isEqualTo(f.client.events(EventQuery.all().withFromHeight(assignedIn.height())));

                // A replaying stream after the fact gives the same list again.
                BlockingQueue<EventView> replay = new LinkedBlockingQueue<>();
                try (EventSubscription r = f.client.streamEvents(EventQuery.forJob(job).withFromHeight(0), replay::add)) {
                    assertThat(take(replay, stored.size())).isEqualTo(stored);
                    assertThat(r.lastEventId()).isEqualTo(stored.get(stored.size() - 1).height() + ":"
                            + stored.get(stored.size() - 1).index());
                }

                NodeView paid = f.client.node(NODE.publicKey());
                assertThat(paid.earned()).isEqualTo(stored.get(3).amount());
                assertThat(paid.jobsCompleted()).isEqualTo(1);
                JsonNode params = f.client.params();
                assertThat(params.get("treasuryBalance").asLong()).isEqualTo(stored.get(5).amount());
                assertThat(f.client.account(VALIDATOR.publicKey()).balance()).isEqualTo(stored.get(4).amount());
            }
        }
        assertThat(streamErrors).isEmpty();
    }

    @Test
    void paramsListEveryChainParameterAndTheRulesInWords() throws Exception {
        JsonNode p = f.client.params();
        Params defaults = Params.defaults();
        for (RecordComponent c : Params.class.getRecordComponents()) {
            assertThat(p.has(c.getName())).as("parameter %s", c.getName()).isTrue();
            assertThat(p.get(c.getName()).asLong()).as("parameter %s", c.getName())
                    .isEqualTo(((Number) c.getAccessor().invoke(defaults)).longValue());
        }
        assertThat(p.get("chainId").asText()).isEqualTo(ApiFixture.CHAIN_ID);
        assertThat(p.get("treasuryBalance").asLong()).isZero();
        assertThat(p.get("baseUnitsPerToken").asLong()).isEqualTo(VRT);
        List<String> rules = new ArrayList<>();
        p.get("rules").forEach(r -> rules.add(r.asText()));
        assertThat(rules).contains("missing a result deadline costs missedDeadlinePenaltyBps/100 = 1% of stake, paid to the treasury");
        assertThat(rules).anySatisfy(r -> assertThat(r).startsWith("jailed after jailAfterMisses = 3 misses for jailBlocks = 50 blocks"));
        assertThat(rules).anySatisfy(r -> assertThat(r).contains("1000.000000 VRT"));
        assertThat(rules).anySatisfy(r -> assertThat(r).contains("80% to the node, 10% to the validator and 10% to the treasury"));
    }

    @Test
    void rawOctetStreamSubmissionIsAcceptedLikeJson() throws Exception {
        Wallet alice = f.wallet(ALICE);
        var tx = alice.sign(new Payload.Transfer(BOB.publicKey(), 7), 0);
        var res = f.request("POST", "/v1/transactions", "application/octet-stream", tx.encoded());
        assertThat(res.statusCode()).isEqualTo(202);
        assertThat(res.headers().firstValue("Location")).hasValue("/v1/transactions/" + tx.hash().hex());
        JsonNode body = f.json(res.body());
        assertThat(body.get("hash").asText()).isEqualTo(tx.hash().hex());
        assertThat(body.get("status").asText()).isEqualTo("PENDING");
        f.produce();
        assertThat(f.client.receipt(tx.hash()).status()).isEqualTo("INCLUDED");
    }

    @Test
    void eventsArePagedByPositionThroughABlockWithMoreEventsThanAPage() throws Exception {
        Wallet alice = f.wallet(ALICE);
        f.produce();
        for (int i = 1; i <= 23; i++) {
            alice.transfer(STRANGER.publicKey(), i);
        }
        f.produce(); // block 2: 23 transfers to the stranger
        f.wallet(BOB).transfer(STRANGER.publicKey(), 100);
        f.produce();

        List<EventView> all = f.client.events(EventQuery.forAccount(STRANGER.publicKey()).withLimit(1000));
        assertThat(all).hasSize(24);
        List<EventView> paged = new ArrayList<>();
        long height = 0;
        int index = 0;
        while (true) {
            List<EventView> page = f.client.events(EventQuery.forAccount(STRANGER.publicKey()).withFromPosition(height, index).withLimit(5));
            paged.addAll(page);
            if (page.size() < 5) {
                break;
            }
            EventView last = page.get(page.size() - 1);
            height = last.height();
            index = last.index() + 1;
        }
        assertThat(paged).isEqualTo(all);
        assertThat(paged.get(22).amount()).isEqualTo(23);

        List<EventView> rest = f.client.events(EventQuery.all().withFromPosition(2, 20).withLimit(1000));
        assertThat(rest.get(0).height()).isEqualTo(2);
        assertThat(rest.get(0).index()).isEqualTo(20);
        assertThat(error(f.get("/v1/events?fromHeight=2&fromIndex=-1"))).contains("'fromIndex'");
        assertThat(error(f.get("/v1/events?fromHeight=2&fromIndex=4294967296"))).contains("'fromIndex'");
    }

    private String error(java.net.http.HttpResponse<String> res) throws Exception {
        assertThat(res.statusCode()).isEqualTo(400);
        return f.json(res.body()).get("message").asText();
    }

    private int countEventsFrom(long height) {
        return f.client.events(EventQuery.all().withFromHeight(height).withLimit(1000)).size();
    }

    static List<EventView> take(BlockingQueue<EventView> q, int n) throws InterruptedException {
        List<EventView> out = new ArrayList<>();
        while (out.size() < n) {
            EventView e = q.poll(10, TimeUnit.SECONDS);
            assertThat(e).as("event %d of %d (got %s)", out.size() + 1, n, out).isNotNull();
            out.add(e);
        }
        assertThat(q.poll(200, TimeUnit.MILLISECONDS)).as("no more events").isNull();
        return out;
    }
}
