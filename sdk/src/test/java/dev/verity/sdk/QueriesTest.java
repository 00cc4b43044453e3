package dev.verity.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueriesTest {
    private static final Hash JOB = Hash.of(new byte[] {1});

    @Test
    void eventQueriesTakeAtMostOneSubject() {
        assertThat(EventQuery.forJob(JOB).withFromHeight(5).withLimit(10)).isEqualTo(new EventQuery(JOB, null, null, 5L, 10));
        assertThatThrownBy(() -> new EventQuery(JOB, PrivateKey.deterministic("n").publicKey(), null, null, null))
                .hasMessageContaining("at most one");
        assertThatThrownBy(() -> EventQuery.all().withLimit(1001)).hasMessageContaining("1 to 1000");
        assertThat(EventQuery.forJob(JOB).withLimit(10).withFromPosition(5, 3)).isEqualTo(new EventQuery(JOB, null, null, 5L, 3, 10));
        assertThat(EventQuery.forJob(JOB).withFromPosition(5, 3).withFromHeight(6).fromIndex()).isNull();
        assertThatThrownBy(() -> EventQuery.all().withFromPosition(1, -1)).hasMessageContaining("fromIndex");
    }

    @Test
    void jobQueriesCombineFilters() {
        var node = PrivateKey.deterministic("n").publicKey();
        assertThat(JobQuery.assignedTo(node)).isEqualTo(new JobQuery("ASSIGNED", node, null, null, null));
        assertThat(JobQuery.all().withStatus("SETTLED").withLimit(3)).isEqualTo(new JobQuery("SETTLED", null, null, null, 3));
        assertThatThrownBy(() -> JobQuery.all().withLimit(0)).hasMessageContaining("1 to 1000");
    }

    @Test
    void deadlineQueriesCarryTheirCursor() {
        var node = PrivateKey.deterministic("n").publicKey();
        String cursor = "17:" + JOB.hex();
        assertThat(JobQuery.assignedByDeadline(node)).isEqualTo(new JobQuery("ASSIGNED", node, null, null, null, "deadline", null));
        assertThat(JobQuery.assignedByDeadline(node).withLimit(5).after(cursor).withModel(JOB))
                .isEqualTo(new JobQuery("ASSIGNED", node, null, JOB, 5, "deadline", cursor));
        assertThat(JobQuery.all().after(null).order()).isEqualTo(JobQuery.DEADLINE);
        assertThat(new JobQuery(null, null, null, null, null, " Newest ", null).order()).isEqualTo(JobQuery.NEWEST);
        assertThatThrownBy(() -> new JobQuery(null, null, null, null, null, "oldest", null)).hasMessageContaining("oldest");
        assertThatThrownBy(() -> new JobQuery(null, null, null, null, null, null, cursor)).hasMessageContaining("byDeadline");
        for (String bad : List.of("17", ":" + JOB.hex(), "-1:" + JOB.hex(), "17:" + JOB.hex().substring(2), "17:zz" + JOB.hex().substring(2))) {
            assertThatThrownBy(() -> JobQuery.all().after(bad)).as(bad).hasMessageContaining("<deadlineHeight>:<jobId>");
        }
        assertThat(JobPage.cursor(17, JOB)).isEqualTo(cursor);
        JobPage last = new JobPage(List.of(), null);
        assertThat(last.hasNext()).isFalse();
    }

    @Test
    void claimAndDisputeQueriesCombineFilters() {
        var node = PrivateKey.deterministic("n").publicKey();
        assertThat(ClaimQuery.challengeable(JOB)).isEqualTo(new ClaimQuery("CHALLENGE_WINDOW", JOB, null, null, null));
        assertThat(ClaimQuery.auditsFor(node).withLimit(5)).isEqualTo(new ClaimQuery("AUDITING", null, null, node, 5));
        assertThat(ClaimQuery.all().withNode(node).withPhase("DISPUTED")).isEqualTo(new ClaimQuery("DISPUTED", null, node, null, null));
        assertThat(DisputeQuery.withParty(node).withModel(JOB)).isEqualTo(new DisputeQuery(node, JOB, null));
        assertThatThrownBy(() -> ClaimQuery.all().withLimit(0)).hasMessageContaining("1 to 1000");
        assertThatThrownBy(() -> DisputeQuery.all().withLimit(1001)).hasMessageContaining("1 to 1000");
    }

    @Test
    void clientRefusesUrlsThatAreNotHttp() {
        assertThatThrownBy(() -> new VerityClient("127.0.0.1:8645")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http://127.0.0.1:8645");
        try (VerityClient c = new VerityClient("http://127.0.0.1:8645///")) {
            assertThat(c.baseUrl().toString()).isEqualTo("http://127.0.0.1:8645");
        }
    }
}
