package dev.verity.validator.api;

import static dev.verity.validator.api.ApiFixture.ALICE;
import static dev.verity.validator.api.ApiFixture.BOB;
import static dev.verity.validator.api.ApiFixture.NODE;
import static dev.verity.validator.api.ApiFixture.VRT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verity.core.Bytes;
import dev.verity.core.Hash;
import dev.verity.core.PublicKey;
import dev.verity.core.Sha256;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.tx.Hardware;
import dev.verity.sdk.JobPage;
import dev.verity.sdk.JobQuery;
import dev.verity.sdk.VerityApiException;
import dev.verity.sdk.Wallet;
import dev.verity.sdk.api.JobView;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /v1/jobs?order=deadline}: a node's assigned jobs, earliest deadline first, page by page with a cursor, over
 * real HTTP and through the SDK; and the 400 answers to a malformed order or cursor.
 */
class AssignedJobsApiTest {
    private static final int JOBS = 11;

    @TempDir
    Path dir;
    ApiFixture f;
    Hash model;

    @BeforeEach
    void start() {
        f = new ApiFixture(dir);
        model = Sha256.digest(Bytes.utf8("deadline order model"));
        f.wallet(ALICE).registerModel(model, "echo", "bytes", "the same bytes", 1_000);
        f.produce();
    }

    @AfterEach
    void stop() {
        f.close();
    }

    /** Registers the nodes for the model, each with room for every job; submits the jobs with mixed deadlines. */
    private List<Hash> assignJobs(List<Wallet> nodes) {
        for (Wallet n : nodes) {
            n.registerNode(2_000 * VRT, List.of(model), List.of(VerificationMode.NONE), Hardware.cpuOnly("test CPU", 4), JOBS);
        }
        f.produce();
        Wallet alice = f.wallet(ALICE);
        List<Hash> jobs = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            // deadlines 5..12 blocks, not in submission order, some equal (ordered by job id then)
            long deadline = 5 + (i * 7L) % 8;
            jobs.add(alice.submitJob(model, Bytes.utf8("job " + i), VerificationMode.NONE, List.of(), VRT, deadline));
        }
        f.produce();
        return jobs;
    }

    private static final Comparator<JobView> EARLIEST_DEADLINE = Comparator.comparingLong(JobView::deadlineHeight)
            .thenComparing(JobView::id);

    @Test
    void aNodeWalksItsAssignedJobsEarliestDeadlineFirstPageByPage() throws Exception {
        assignJobs(List.of(f.wallet(NODE)));
        String node = NODE.publicKey().hex();
        List<JobView> newest = f.client.jobs(JobQuery.assignedTo(NODE.publicKey()));
        assertThat(newest).hasSize(JOBS);
        List<String> expected = newest.stream().sorted(EARLIEST_DEADLINE).map(JobView::id).toList();
        assertThat(newest.stream().map(JobView::deadlineHeight).distinct().count()).as("some deadlines are shared").isLessThan(JOBS);

        // Over raw HTTP: pages of 4, each pointing at the next with the cursor header; the last has none.
        List<String> walked = new ArrayList<>();
        String after = null;
        int pages = 0;
        do {
            String path = "/v1/jobs?node=" + node + "&status=ASSIGNED&order=deadline&limit=4" + (after == null ? "" : "&after=" + after);
            HttpResponse<String> r = f.get(path);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode page = f.json(r.body());
            assertThat(page.size()).isBetween(1, 4);
            page.forEach(j -> walked.add(j.get("id").asText()));
            after = r.headers().firstValue(JobPage.NEXT_CURSOR_HEADER).orElse(null);
            JsonNode last = page.get(page.size() - 1);
            if (after != null) {
                assertThat(page.size()).isEqualTo(4);
                assertThat(after).isEqualTo(last.get("deadlineHeight").asLong() + ":" + last.get("id").asText());
            }
            pages++;
        } while (after != null);
        assertThat(pages).isEqualTo(3);
        assertThat(walked).containsExactlyElementsOf(expected);

        // Through the SDK: the same walk, and a page that ends exactly at the last job has no next cursor.
        List<String> sdk = new ArrayList<>();
        String cursor = null;
        do {
            JobPage page = f.client.assignedJobs(NODE.publicKey(), cursor, 3);
            page.jobs().forEach(j -> sdk.add(j.id()));
            assertThat(page.jobs()).allSatisfy(j -> {
                assertThat(j.status()).isEqualTo("ASSIGNED");
                assertThat(j.input()).isNull();
            });
            cursor = page.next();
        } while (cursor != null);
        assertThat(sdk).containsExactlyElementsOf(expected);
        JobPage all = f.client.assignedJobs(NODE.publicKey(), null, JOBS);
        assertThat(all.jobs()).extracting(JobView::id).containsExactlyElementsOf(expected);
        assertThat(all.hasNext()).isFalse();
        // Status may be left out; a cursor taken from any job's view starts just after it.
        JobView fifth = all.jobs().get(4);
        assertThat(f.client.jobPage(JobQuery.forNode(NODE.publicKey()).byDeadline().after(JobPage.cursorOf(fifth))).jobs())
                .extracting(JobView::id).containsExactlyElementsOf(expected.subList(5, JOBS));

        // An answered job leaves the listing.
        Hash first = Hash.fromHex(expected.get(0));
        f.wallet(NODE).submitResult(first, Bytes.utf8("done"), new byte[0]);
        f.produce();
        assertThat(f.client.assignedJobs(NODE.publicKey(), null, 1000).jobs()).extracting(JobView::id)
                .containsExactlyElementsOf(expected.subList(1, JOBS));
    }

    @Test
    void eachNodeSeesOnlyItsOwnJobs() {
        List<Hash> jobs = assignJobs(List.of(f.wallet(NODE), f.wallet(BOB)));
        List<String> seen = new ArrayList<>();
        for (PublicKey node : List.of(NODE.publicKey(), BOB.publicKey())) {
            List<JobView> mine = new ArrayList<>();
            String cursor = null;
            do {
                JobPage page = f.client.assignedJobs(node, cursor, 2);
                mine.addAll(page.jobs());
                cursor = page.next();
            } while (cursor != null);
            assertThat(mine).allSatisfy(j -> assertThat(j.assignedNode()).isEqualTo(node.hex()));
            assertThat(mine).isSortedAccordingTo(EARLIEST_DEADLINE);
            mine.forEach(j -> seen.add(j.id()));
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(jobs.stream().map(Hash::hex).toList());
        // Without a node, every assigned job, in the one order.
        assertThat(f.client.jobPage(JobQuery.all().byDeadline()).jobs()).hasSize(JOBS).isSortedAccordingTo(EARLIEST_DEADLINE);
    }

    @Test
    void aMalformedOrderOrCursorIsABadRequestThatSaysWhatToSend() throws Exception {
        String node = "&node=" + NODE.publicKey().hex();
        String job = "ab".repeat(32);
        assertThat(badRequest("/v1/jobs?order=oldest")).contains("'order'", "newest", "deadline", "oldest");
        assertThat(badRequest("/v1/jobs?after=5:" + job + node)).contains("'after'", "order=deadline");
        assertThat(badRequest("/v1/jobs?order=deadline&status=SETTLED" + node)).contains("'status'", "ASSIGNED", "SETTLED");
        assertThat(badRequest("/v1/jobs?order=deadline&after=" + job)).contains("'after'", "<deadlineHeight>:<jobId>", "no ':'");
        assertThat(badRequest("/v1/jobs?order=deadline&after=-3:" + job)).contains("'after'", "block height");
        assertThat(badRequest("/v1/jobs?order=deadline&after=x:" + job)).contains("'after'", "block height");
        assertThat(badRequest("/v1/jobs?order=deadline&after=5:xyz")).contains("'after'", "64 hex characters", "xyz");
        assertThat(badRequest("/v1/jobs?order=deadline&status=DONE")).contains("'status'", "FAILED", "ASSIGNED");
        assertThat(f.get("/v1/jobs?order=DEADLINE&status=assigned&after=0:" + job).statusCode()).isEqualTo(200);
        assertThat(f.get("/v1/jobs?order=newest").statusCode()).isEqualTo(200);

        // The SDK refuses the same mistakes before sending, and reports the node's 400 as an exception.
        assertThatThrownBy(() -> JobQuery.all().after("12")).hasMessageContaining("<deadlineHeight>:<jobId>");
        assertThatThrownBy(() -> new JobQuery(null, null, null, null, null, "sideways", null)).hasMessageContaining("sideways");
        assertThatThrownBy(() -> new JobQuery(null, null, null, null, null, null, "1:" + job)).hasMessageContaining("byDeadline");
        VerityApiException e = org.junit.jupiter.api.Assertions.assertThrows(VerityApiException.class,
                () -> f.client.jobPage(JobQuery.all().withStatus("SETTLED").byDeadline()));
        assertThat(e.code()).isEqualTo("BAD_REQUEST");
        assertThat(e.status()).isEqualTo(400);
    }

    private String badRequest(String path) throws Exception {
        HttpResponse<String> r = f.get(path);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(400);
        JsonNode body = f.json(r.body());
        assertThat(body.get("code").asText()).isEqualTo("BAD_REQUEST");
        return body.get("message").asText();
    }
}
