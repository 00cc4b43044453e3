package dev.verity.economics.earnings;

import dev.verity.core.PublicKey;
import dev.verity.ledger.event.EventType;
import dev.verity.protocol.VerificationMode;
import dev.verity.sdk.api.EventView;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a compute node earned, day by day, rebuilt from chain events alone: no state, no clock, no IO. The
 * same events, node, zone and range always give the same report, so anyone holding the chain's events (from
 * a node's API, or by re-executing its blocks) gets the same figures.
 *
 * <p>Each figure is a sum of events (see {@link Figures}), matched on the event's own fields, not on how the
 * events were fetched: a {@code JOB_SETTLED}, {@code NODE_PAID}, {@code AUDITOR_PAID}, {@code NODE_PENALIZED}
 * or {@code NODE_SLASHED} counts when its {@code node} is the node; a {@code DISPUTE_REWARD} or
 * {@code BOND_SLASHED} (which name no node) when its {@code account} is. An event belongs to the day its block
 * was produced, in {@code zone}.
 *
 * @param node the node's key (hex)
 * @param zone the zone days are counted in
 * @param from the first day shown; null when no day is
 * @param to the last day shown; null when no day is
 * @param days one row per day from {@code from} to {@code to}, days without activity as zeros
 * @param penalties every penalty in the range, in chain order
 * @param totals the sums over the range
 */
public record EarningsReport(String node, ZoneId zone, LocalDate from, LocalDate to, List<Day> days, List<Penalty> penalties,
                             Figures totals) {
    /** At most this many days (about a century) in one report. */
    public static final int MAX_DAYS = 36_600;
    /** The default zone; every spelling of UTC ({@code Z}, {@code +00:00}, {@code Etc/UTC}) is shown as this. */
    public static final ZoneId UTC = ZoneId.of("UTC");

    public EarningsReport {
        zone = zone.normalized().equals(ZoneOffset.UTC) ? UTC : zone;
        days = List.copyOf(days);
        penalties = List.copyOf(penalties);
    }

    /** One day's figures. */
    public record Day(LocalDate date, Figures figures) {}

    /**
     * One penalty: where it is on the chain, what it was for, and how much it took.
     *
     * @param type {@code NODE_PENALIZED} (missed deadline), {@code NODE_SLASHED} (lost dispute) or
     *     {@code BOND_SLASHED} (lost challenge)
     * @param mode the job's verification mode, where the event names it
     * @param reason the event's reason, as the chain wrote it
     */
    public record Penalty(long height, int index, long timestampMillis, LocalDate date, String type, String job, String mode,
                          long amount, String reason) {}

    /** The report of {@code node} over every day with activity (from the first to the last), days in UTC. */
    public static EarningsReport build(List<EventView> events, PublicKey node) {
        return build(events, node, UTC, null, null);
    }

    /**
     * The report of {@code node} from the events given, which may hold other events and duplicates (the
     * same event read by the node and by the account filter).
     *
     * @param from first day, inclusive; null: the first day with activity
     * @param to last day, inclusive; null: the last day with activity
     * @throws IllegalArgumentException when {@code to} is before {@code from} or the range is over {@link #MAX_DAYS}
     * @throws IllegalStateException when two different events claim the same position (height, index)
     */
    public static EarningsReport build(List<EventView> events, PublicKey node, ZoneId zone, LocalDate from, LocalDate to) {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(zone, "zone");
        if (from != null && to != null && to.isBefore(from)) {
            throw new IllegalArgumentException("the range ends (" + to + ") before it starts (" + from + ")");
        }
        String key = node.hex().toLowerCase(Locale.ROOT);
        TreeMap<LocalDate, Figures> byDay = new TreeMap<>();
        List<Penalty> penalties = new ArrayList<>();
        for (EventView ev : deduplicate(events)) {
            EventType type = type(ev);
            if (type == null || !concerns(type, ev, key)) {
                continue;
            }
            LocalDate date = Instant.ofEpochMilli(ev.timestampMillis()).atZone(zone).toLocalDate();
            if ((from != null && date.isBefore(from)) || (to != null && date.isAfter(to))) {
                continue;
            }
            Figures f = byDay.getOrDefault(date, Figures.ZERO);
            VerificationMode mode = mode(ev);
            f = switch (type) {
                case JOB_SETTLED -> f.withJob(mode);
                case JOB_FAILED -> ev.amount() > 0 ? f.withJob(mode) : f; // a paid input refusal counts as a job paid for
                case NODE_PAID -> f.withFee(mode, ev.amount());
                case AUDITOR_PAID -> f.withAudit(ev.amount());
                case DISPUTE_REWARD -> f.withDisputeReward(ev.amount());
                case NODE_PENALIZED, NODE_SLASHED, BOND_SLASHED -> {
                    penalties.add(new Penalty(ev.height(), ev.index(), ev.timestampMillis(), date, ev.type(), ev.job(), ev.mode(),
                            ev.amount(), ev.reason()));
                    yield f.withPenalty(ev.amount());
                }
                default -> throw new IllegalStateException("unexpected " + type);
            };
            byDay.put(date, f);
        }
        LocalDate start = from != null ? from : byDay.isEmpty() ? to : byDay.firstKey();
        LocalDate end = to != null ? to : byDay.isEmpty() ? from : byDay.lastKey();
        List<Day> days = new ArrayList<>();
        Figures totals = Figures.ZERO;
        if (start != null) {
            long count = ChronoUnit.DAYS.between(start, end) + 1;
            if (count > MAX_DAYS) {
                throw new IllegalArgumentException("the range " + start + " to " + end + " is " + count + " days; at most "
                        + MAX_DAYS + " fit in one report");
            }
            for (LocalDate d = start; !d.isAfter(end); d = d.plusDays(1)) {
                Figures f = byDay.getOrDefault(d, Figures.ZERO);
                days.add(new Day(d, f));
                totals = totals.plus(f);
            }
        }
        return new EarningsReport(key, zone, start, end, days, penalties, totals);
    }

    /** Whether an event of {@code type} is one of the node's figures: matched on the field the rules fill with it. */
    private static boolean concerns(EventType type, EventView ev, String key) {
        return switch (type) {
            case JOB_SETTLED, JOB_FAILED, NODE_PAID, AUDITOR_PAID, NODE_PENALIZED, NODE_SLASHED -> key.equalsIgnoreCase(ev.node());
            case DISPUTE_REWARD, BOND_SLASHED -> key.equalsIgnoreCase(ev.account());
            default -> false;
        };
    }

    private static EventType type(EventView ev) {
        try {
            return ev.type() == null ? null : EventType.valueOf(ev.type());
        } catch (IllegalArgumentException e) {
            return null; // a kind of event this version does not know cannot be one of its figures
        }
    }

    private static VerificationMode mode(EventView ev) {
        try {
            return ev.mode() == null ? null : VerificationMode.valueOf(ev.mode());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The events in chain order, each once: events are identified by their position (height, index), as a
     * node's events come both from the node filter and from the account filter.
     *
     * @throws IllegalStateException when two different events claim the same position
     */
    public static List<EventView> deduplicate(List<EventView> events) {
        TreeMap<Position, EventView> unique = new TreeMap<>();
        for (EventView ev : events) {
            EventView seen = unique.putIfAbsent(new Position(ev.height(), ev.index()), ev);
            if (seen != null && !seen.equals(ev)) {
                throw new IllegalStateException("two different events at height " + ev.height() + " index " + ev.index() + ": "
                        + seen.type() + " and " + ev.type() + "; the events come from different chains");
            }
        }
        return List.copyOf(unique.values());
    }

    /** An event's place on the chain. */
    record Position(long height, int index) implements Comparable<Position> {
        private static final Comparator<Position> ORDER = Comparator.comparingLong(Position::height).thenComparingInt(Position::index);

        @Override
        public int compareTo(Position o) {
            return ORDER.compare(this, o);
        }
    }

    /** Whether the range holds no job, audit, fee, reward or penalty at all. */
    public boolean isEmpty() {
        return totals.isZero();
    }

    /**
     * The report as one JSON document: {@code node}, {@code zone}, {@code from}, {@code to}, {@code days}
     * (each with its {@code date} and {@link Figures#document() figures}), {@code penalties} and {@code totals};
     * amounts in base units, dates as {@code YYYY-MM-DD}, penalty times as ISO-8601 in the zone.
     */
    public Map<String, Object> document() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("node", node);
        doc.put("zone", zone.getId());
        doc.put("from", from == null ? null : from.toString());
        doc.put("to", to == null ? null : to.toString());
        List<Map<String, Object>> dayDocs = new ArrayList<>();
        for (Day d : days) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("date", d.date().toString());
            m.putAll(d.figures().document());
            dayDocs.add(m);
        }
        doc.put("days", dayDocs);
        List<Map<String, Object>> penaltyDocs = new ArrayList<>();
        for (Penalty p : penalties) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("height", p.height());
            m.put("index", p.index());
            m.put("time", Instant.ofEpochMilli(p.timestampMillis()).atZone(zone).toOffsetDateTime().toString());
            m.put("date", p.date().toString());
            m.put("type", p.type());
            m.put("job", p.job());
            m.put("mode", p.mode());
            m.put("amount", p.amount());
            m.put("reason", p.reason());
            penaltyDocs.add(m);
        }
        doc.put("penalties", penaltyDocs);
        doc.put("totals", totals.document());
        return doc;
    }
}
