package dev.verity.economics.earnings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verity.core.PrivateKey;
import dev.verity.core.PublicKey;
import dev.verity.protocol.VerificationMode;
import dev.verity.sdk.api.EventView;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EarningsReportTest {
    static final PublicKey NODE = PrivateKey.deterministic("earnings-node").publicKey();
    static final PublicKey OTHER = PrivateKey.deterministic("earnings-other").publicKey();
    static final PublicKey CLIENT = PrivateKey.deterministic("earnings-client").publicKey();
    static final String K = NODE.hex();
    static final String O = OTHER.hex();
    static final String C = CLIENT.hex();
    static final String JOB = "ab".repeat(32);

    private int nextIndex;

    /** An event in block {@code height} produced at {@code time} (UTC). */
    private EventView ev(long height, String time, String type, String node, String account, long amount, String mode) {
        long ts = ZonedDateTime.parse(time + "Z").toInstant().toEpochMilli();
        return new EventView(height, nextIndex++, ts, type, JOB, node, account, amount, type.toLowerCase() + " reason", mode);
    }

    private List<EventView> settledJob(long height, String time, String mode, long nodeShare) {
        return List.of(ev(height, time, "NODE_PAID", K, K, nodeShare, mode),
                ev(height, time, "VALIDATOR_PAID", null, O, nodeShare / 10, null),
                ev(height, time, "TREASURY_PAID", null, null, nodeShare / 10, null),
                ev(height, time, "JOB_SETTLED", K, C, nodeShare + nodeShare / 5, mode));
    }

    @Test
    void eventsGroupByTheDayOfTheirBlockAcrossMidnight() {
        List<EventView> events = new ArrayList<>();
        events.addAll(settledJob(10, "2026-03-01T23:59:59.999", "NONE", 800));
        events.addAll(settledJob(11, "2026-03-02T00:00:00.000", "NONE", 700));
        EarningsReport r = EarningsReport.build(events, NODE);

        assertThat(r.zone()).isEqualTo(ZoneId.of("UTC")).isEqualTo(EarningsReport.UTC);
        assertThat(EarningsReport.build(events, NODE, ZoneOffset.UTC, null, null)).isEqualTo(r);
        assertThat(EarningsReport.build(events, NODE, ZoneId.of("Etc/UTC"), null, null).zone().getId()).isEqualTo("UTC");
        assertThat(r.from()).isEqualTo(LocalDate.parse("2026-03-01"));
        assertThat(r.to()).isEqualTo(LocalDate.parse("2026-03-02"));
        assertThat(r.days()).extracting(EarningsReport.Day::date)
                .containsExactly(LocalDate.parse("2026-03-01"), LocalDate.parse("2026-03-02"));
        assertThat(r.days().get(0).figures().fees()).isEqualTo(800);
        assertThat(r.days().get(0).figures().jobsSettled()).isEqualTo(1);
        assertThat(r.days().get(1).figures().fees()).isEqualTo(700);
        assertThat(r.totals().fees()).isEqualTo(1500);
        assertThat(r.totals().jobsSettled()).isEqualTo(2);
    }

    @Test
    void theTimeZoneDecidesTheDay() {
        List<EventView> events = new ArrayList<>();
        events.addAll(settledJob(10, "2026-03-01T22:30:00", "NONE", 800)); // 2026-03-02 00:30 in +02:00
        events.addAll(settledJob(11, "2026-03-02T03:00:00", "TEE", 900)); // 2026-03-01 22:00 in New York (EST, -05:00)

        EarningsReport utc = EarningsReport.build(events, NODE, ZoneOffset.UTC, null, null);
        assertThat(utc.days()).extracting(d -> d.date().toString(), d -> d.figures().fees())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("2026-03-01", 800L), org.assertj.core.groups.Tuple.tuple("2026-03-02", 900L));

        EarningsReport athens = EarningsReport.build(events, NODE, ZoneId.of("+02:00"), null, null);
        assertThat(athens.days()).hasSize(1);
        assertThat(athens.days().get(0).date()).isEqualTo(LocalDate.parse("2026-03-02"));
        assertThat(athens.days().get(0).figures().fees()).isEqualTo(1700);

        EarningsReport newYork = EarningsReport.build(events, NODE, ZoneId.of("America/New_York"), null, null);
        assertThat(newYork.days()).hasSize(1);
        assertThat(newYork.days().get(0).date()).isEqualTo(LocalDate.parse("2026-03-01"));
        assertThat(newYork.days().get(0).figures().jobsByMode()).isEqualTo(new ByMode(1, 1, 0, 0, 0));
        assertThat(newYork.zone()).isEqualTo(ZoneId.of("America/New_York"));

        // A range is in the zone's days too: only the New York day of 2026-03-01 holds both jobs.
        EarningsReport one = EarningsReport.build(events, NODE, ZoneId.of("America/New_York"), LocalDate.parse("2026-03-02"),
                LocalDate.parse("2026-03-02"));
        assertThat(one.days()).hasSize(1);
        assertThat(one.totals().isZero()).isTrue();
    }

    @Test
    void anEventReadThroughBothFiltersCountsOnce() {
        List<EventView> events = new ArrayList<>(settledJob(10, "2026-03-01T12:00:00", "NONE", 800));
        events.add(ev(12, "2026-03-01T13:00:00", "DISPUTE_REWARD", null, K, 50, "OPTIMISTIC"));
        List<EventView> twice = new ArrayList<>(events);
        twice.addAll(events.reversed());
        twice.add(events.get(0));

        EarningsReport once = EarningsReport.build(events, NODE);
        EarningsReport dup = EarningsReport.build(twice, NODE);
        assertThat(dup).isEqualTo(once);
        assertThat(dup.totals().fees()).isEqualTo(800);
        assertThat(dup.totals().disputeRewards()).isEqualTo(50);
        assertThat(EarningsReport.deduplicate(twice)).isEqualTo(events);

        EventView clash = new EventView(events.get(0).height(), events.get(0).index(), events.get(0).timestampMillis(), "TRANSFER",
                null, null, K, 1, "other", null);
        assertThatThrownBy(() -> EarningsReport.build(List.of(events.get(0), clash), NODE))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("two different events at height 10 index 0");
    }

    @Test
    void netIsFeesPlusAuditFeesPlusRewardsMinusPenaltiesAndEachPenaltyIsListedWithItsReason() {
        List<EventView> events = new ArrayList<>(settledJob(10, "2026-03-01T08:00:00", "SAMPLED", 1_000));
        events.add(ev(11, "2026-03-01T09:00:00", "AUDITOR_PAID", K, K, 300, "SAMPLED"));
        events.add(ev(12, "2026-03-01T10:00:00", "DISPUTE_REWARD", null, K, 5_000, "OPTIMISTIC"));
        EventView missed = ev(13, "2026-03-01T11:00:00", "NODE_PENALIZED", K, K, 20_000, "NONE");
        EventView slashed = ev(14, "2026-03-01T12:00:00", "NODE_SLASHED", K, K, 100_000, "OPTIMISTIC");
        EventView bond = ev(15, "2026-03-01T13:00:00", "BOND_SLASHED", null, K, 7, null);
        events.addAll(List.of(missed, slashed, bond));

        EarningsReport r = EarningsReport.build(events, NODE);
        Figures t = r.totals();
        assertThat(t.fees()).isEqualTo(1_000);
        assertThat(t.auditFees()).isEqualTo(300);
        // the audit is counted apart from the jobs the node settled (the chain's jobsCompleted counts both)
        assertThat(t.audits()).isEqualTo(1);
        assertThat(t.jobsSettled()).isEqualTo(1);
        assertThat(t.disputeRewards()).isEqualTo(5_000);
        assertThat(t.penalties()).isEqualTo(120_007);
        assertThat(t.gross()).isEqualTo(6_300);
        assertThat(t.net()).isEqualTo(1_000 + 300 + 5_000 - 120_007).isNegative();
        assertThat(r.days()).singleElement().satisfies(d -> assertThat(d.figures()).isEqualTo(t));
        assertThat(r.penalties()).extracting(EarningsReport.Penalty::type)
                .containsExactly("NODE_PENALIZED", "NODE_SLASHED", "BOND_SLASHED");
        EarningsReport.Penalty p = r.penalties().get(0);
        assertThat(p).isEqualTo(new EarningsReport.Penalty(13, missed.index(), missed.timestampMillis(), LocalDate.parse("2026-03-01"),
                "NODE_PENALIZED", JOB, "NONE", 20_000, "node_penalized reason"));
    }

    @Test
    void onlyTheFieldTheRulesFillWithTheNodeCounts() {
        List<EventView> events = new ArrayList<>();
        // The node as a client: its job settled by another node is not its work.
        events.add(ev(10, "2026-03-01T08:00:00", "JOB_SETTLED", O, K, 1_000, "NONE"));
        events.add(ev(10, "2026-03-01T08:00:00", "NODE_PAID", O, O, 800, "NONE"));
        // As the block producer: a validator share is not a node's fee.
        events.add(ev(10, "2026-03-01T08:00:00", "VALIDATOR_PAID", null, K, 100, null));
        // Transfers, refunds, stake movements and returned bonds are not earnings or penalties.
        events.add(ev(11, "2026-03-01T09:00:00", "TRANSFER", null, K, 5_000, null));
        events.add(ev(11, "2026-03-01T09:00:00", "STAKE_BONDED", K, K, 5_000, null));
        events.add(ev(11, "2026-03-01T09:00:00", "BOND_RETURNED", null, K, 90, null));
        events.add(ev(11, "2026-03-01T09:00:00", "NODE_REGISTERED", K, K, 1_000, null));
        events.add(ev(11, "2026-03-01T09:00:00", "SOMETHING_NEWER", K, K, 1_000, "NONE"));
        // Another node's penalty and reward.
        events.add(ev(12, "2026-03-01T10:00:00", "NODE_PENALIZED", O, O, 20_000, "NONE"));
        events.add(ev(12, "2026-03-01T10:00:00", "DISPUTE_REWARD", null, O, 20_000, "NONE"));

        EarningsReport r = EarningsReport.build(events, NODE);
        assertThat(r.days()).isEmpty();
        assertThat(r.from()).isNull();
        assertThat(r.to()).isNull();
        assertThat(r.isEmpty()).isTrue();
        assertThat(r.totals()).isEqualTo(Figures.ZERO);
    }

    @Test
    void jobsAndFeesAreCountedPerMode() {
        List<EventView> events = new ArrayList<>();
        events.addAll(settledJob(10, "2026-03-01T08:00:00", "NONE", 100));
        events.addAll(settledJob(11, "2026-03-01T08:00:01", "NONE", 100));
        events.addAll(settledJob(12, "2026-03-01T08:00:02", "TEE", 200));
        events.addAll(settledJob(13, "2026-03-01T08:00:03", "OPTIMISTIC", 300));
        events.addAll(settledJob(14, "2026-03-01T08:00:04", "SAMPLED", 400));
        events.addAll(settledJob(15, "2026-03-01T08:00:05", "ZK", 500));
        events.addAll(settledJob(16, "2026-03-01T08:00:06", "ZK", 500));
        events.addAll(settledJob(17, "2026-03-01T08:00:07", "ZK", 500));

        Figures t = EarningsReport.build(events, NODE).totals();
        assertThat(t.jobsByMode()).isEqualTo(new ByMode(2, 1, 1, 1, 3));
        assertThat(t.jobsSettled()).isEqualTo(8).isEqualTo(t.jobsByMode().total());
        assertThat(t.feesByMode()).isEqualTo(new ByMode(200, 200, 300, 400, 1_500));
        assertThat(t.fees()).isEqualTo(2_600).isEqualTo(t.feesByMode().total());
        for (VerificationMode m : VerificationMode.values()) {
            assertThat(t.jobsByMode().get(m)).as("%s", m).isPositive();
        }
    }

    @Test
    void aRangeShowsEveryDayInItEvenWithoutActivityAndLeavesOutWhatIsOutsideIt() {
        List<EventView> events = new ArrayList<>();
        events.addAll(settledJob(10, "2026-02-27T12:00:00", "NONE", 100)); // before the range
        events.addAll(settledJob(20, "2026-03-02T12:00:00", "NONE", 200));
        events.add(ev(21, "2026-03-02T12:00:00", "NODE_PENALIZED", K, K, 50, "NONE"));
        events.addAll(settledJob(30, "2026-03-06T12:00:00", "NONE", 400)); // after the range
        events.add(ev(31, "2026-03-06T12:00:00", "NODE_PENALIZED", K, K, 60, "NONE"));

        EarningsReport r = EarningsReport.build(events, NODE, ZoneOffset.UTC, LocalDate.parse("2026-03-01"), LocalDate.parse("2026-03-04"));
        assertThat(r.from()).isEqualTo(LocalDate.parse("2026-03-01"));
        assertThat(r.to()).isEqualTo(LocalDate.parse("2026-03-04"));
        assertThat(r.days()).extracting(d -> d.date().toString())
                .containsExactly("2026-03-01", "2026-03-02", "2026-03-03", "2026-03-04");
        assertThat(r.days()).extracting(d -> d.figures().fees()).containsExactly(0L, 200L, 0L, 0L);
        assertThat(r.days().get(0).figures()).isEqualTo(Figures.ZERO);
        assertThat(r.totals().fees()).isEqualTo(200);
        assertThat(r.totals().net()).isEqualTo(150);
        assertThat(r.penalties()).extracting(EarningsReport.Penalty::height).containsExactly(21L);

        // Without a range: from the first to the last active day, the quiet days between as zeros.
        EarningsReport all = EarningsReport.build(events, NODE);
        assertThat(all.days()).hasSize(8);
        assertThat(all.from()).isEqualTo(LocalDate.parse("2026-02-27"));
        assertThat(all.to()).isEqualTo(LocalDate.parse("2026-03-06"));
        assertThat(all.totals().fees()).isEqualTo(700);

        // One bound: the other is the first (or last) active day in the range.
        EarningsReport since = EarningsReport.build(events, NODE, ZoneOffset.UTC, LocalDate.parse("2026-03-01"), null);
        assertThat(since.from()).isEqualTo(LocalDate.parse("2026-03-01"));
        assertThat(since.to()).isEqualTo(LocalDate.parse("2026-03-06"));
        EarningsReport until = EarningsReport.build(events, NODE, ZoneOffset.UTC, null, LocalDate.parse("2026-03-01"));
        assertThat(until.from()).isEqualTo(LocalDate.parse("2026-02-27"));
        assertThat(until.days()).hasSize(3);
    }

    @Test
    void anEmptyRangeIsZeroRowsAndNoEventsWithoutARangeIsNoRows() {
        EarningsReport range = EarningsReport.build(List.of(), NODE, ZoneOffset.UTC, LocalDate.parse("2026-01-30"),
                LocalDate.parse("2026-02-02"));
        assertThat(range.days()).extracting(d -> d.date().toString()).containsExactly("2026-01-30", "2026-01-31", "2026-02-01", "2026-02-02");
        assertThat(range.days()).allSatisfy(d -> assertThat(d.figures()).isEqualTo(Figures.ZERO));
        assertThat(range.totals()).isEqualTo(Figures.ZERO);
        assertThat(range.totals().net()).isZero();
        assertThat(range.penalties()).isEmpty();

        assertThat(EarningsReport.build(List.of(), NODE).days()).isEmpty();
        EarningsReport fromOnly = EarningsReport.build(List.of(), NODE, ZoneOffset.UTC, LocalDate.parse("2026-01-30"), null);
        assertThat(fromOnly.days()).extracting(d -> d.date().toString()).containsExactly("2026-01-30");
    }

    @Test
    void aRangeThatEndsBeforeItStartsOrSpansCenturiesIsRefused() {
        assertThatThrownBy(() -> EarningsReport.build(List.of(), NODE, ZoneOffset.UTC, LocalDate.parse("2026-03-02"),
                LocalDate.parse("2026-03-01"))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("before it starts");
        assertThatThrownBy(() -> EarningsReport.build(List.of(), NODE, ZoneOffset.UTC, LocalDate.parse("0001-01-01"),
                LocalDate.parse("2026-03-01"))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most");
    }

    @Test
    void theJsonDocumentHoldsEveryFigureInBaseUnits() {
        List<EventView> events = new ArrayList<>(settledJob(10, "2026-03-01T23:30:00", "OPTIMISTIC", 1_234_567));
        events.add(ev(11, "2026-03-01T23:45:00", "NODE_PENALIZED", K, K, 20_000_000, "NONE"));
        Map<String, Object> doc = EarningsReport.build(events, NODE, ZoneId.of("Europe/Paris"), null, null).document();

        assertThat(doc.keySet()).containsExactly("node", "zone", "from", "to", "days", "penalties", "totals");
        assertThat(doc.get("node")).isEqualTo(K);
        assertThat(doc.get("zone")).isEqualTo("Europe/Paris");
        assertThat(doc.get("from")).isEqualTo("2026-03-02");
        assertThat(doc.get("to")).isEqualTo("2026-03-02");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> days = (List<Map<String, Object>>) doc.get("days");
        assertThat(days).singleElement().satisfies(d -> {
            assertThat(d.get("date")).isEqualTo("2026-03-02");
            assertThat(d.get("jobsSettled")).isEqualTo(Map.of("total", 1L, "NONE", 0L, "TEE", 0L, "OPTIMISTIC", 1L, "SAMPLED", 0L, "ZK", 0L));
            assertThat(d.get("audits")).isEqualTo(0L);
            assertThat(d.get("fees")).isEqualTo(Map.of("total", 1_234_567L, "NONE", 0L, "TEE", 0L, "OPTIMISTIC", 1_234_567L,
                    "SAMPLED", 0L, "ZK", 0L));
            assertThat(d.get("penalties")).isEqualTo(20_000_000L);
            assertThat(d.get("net")).isEqualTo(1_234_567L - 20_000_000L);
        });
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> penalties = (List<Map<String, Object>>) doc.get("penalties");
        assertThat(penalties).singleElement().satisfies(p -> {
            assertThat(p.get("time")).isEqualTo("2026-03-02T00:45+01:00");
            assertThat(p.get("reason")).isEqualTo("node_penalized reason");
            assertThat(p.get("amount")).isEqualTo(20_000_000L);
        });
    }
}
