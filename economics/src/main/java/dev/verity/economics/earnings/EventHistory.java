package dev.verity.economics.earnings;

import dev.verity.core.PublicKey;
import dev.verity.sdk.EventQuery;
import dev.verity.sdk.VerityClient;
import dev.verity.sdk.api.EventView;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Every event that concerns a node, read from a node's API: those naming it as the node ({@code node=}) and
 * those naming it as the account ({@code account=}; dispute rewards and challenger bonds name no node), merged
 * once each in chain order. Pages of up to {@value #PAGE} events are read by position (height, index), so
 * nothing is skipped or read twice even where one block holds more of the node's events than a page. The chain
 * keeps growing while it is read: only events up to the head height read first are kept, so both filters
 * describe the same chain.
 */
public final class EventHistory {
    /** The most events the API lists per request. */
    public static final int PAGE = 1000;

    private EventHistory() {}

    /** Where pages of events come from: {@link VerityClient#events} or, in tests, anything that answers the same way. */
    @FunctionalInterface
    public interface EventSource {
        List<EventView> events(EventQuery query);
    }

    /**
     * The node's events up to and including block {@code height}, in chain order, each once.
     *
     * @param height the chain's head when the events were read
     */
    public record Snapshot(long height, List<EventView> events) {
        public Snapshot {
            events = List.copyOf(events);
        }
    }

    /** All events of {@code node} from height 0 up to the chain's current head. */
    public static Snapshot fetch(VerityClient client, PublicKey node) {
        return fetch(client, node, 0);
    }

    /** All events of {@code node} from block {@code fromHeight} up to the chain's current head. */
    public static Snapshot fetch(VerityClient client, PublicKey node, long fromHeight) {
        long head = client.status().height();
        return fetch(client::events, head, node, fromHeight, PAGE);
    }

    /**
     * All events of {@code node} in blocks {@code fromHeight..head}, read from {@code source} in pages of
     * {@code pageSize}.
     *
     * @throws IllegalStateException when the source answers a full page without any event past the last one
     *     read (a node that ignores {@code fromIndex} cannot be paged through a block holding more events than
     *     a page), or two different events at one position
     */
    public static Snapshot fetch(EventSource source, long head, PublicKey node, long fromHeight, int pageSize) {
        Objects.requireNonNull(node, "node");
        if (fromHeight < 0) {
            throw new IllegalArgumentException("fromHeight must not be negative, got " + fromHeight);
        }
        if (pageSize < 1 || pageSize > PAGE) {
            throw new IllegalArgumentException("the page size must be 1 to " + PAGE + ", got " + pageSize);
        }
        List<EventView> all = new ArrayList<>();
        all.addAll(read(source, EventQuery.forNode(node), head, fromHeight, pageSize));
        all.addAll(read(source, EventQuery.forAccount(node), head, fromHeight, pageSize));
        return new Snapshot(head, EarningsReport.deduplicate(all));
    }

    /** Pages through one filter from (fromHeight, 0) until a short page or an event past {@code head}. */
    private static List<EventView> read(EventSource source, EventQuery filter, long head, long fromHeight, int pageSize) {
        List<EventView> out = new ArrayList<>();
        long height = fromHeight;
        int index = 0;
        while (height <= head) {
            List<EventView> page = source.events(filter.withFromPosition(height, index).withLimit(pageSize));
            boolean progressed = false;
            boolean pastHead = false;
            for (EventView ev : page) {
                if (ev.height() < height || (ev.height() == height && ev.index() < index)) {
                    continue; // before the position asked for: already read
                }
                if (ev.height() > head) {
                    pastHead = true;
                    break;
                }
                out.add(ev);
                if (ev.index() == Integer.MAX_VALUE) {
                    height = ev.height() + 1;
                    index = 0;
                } else {
                    height = ev.height();
                    index = ev.index() + 1;
                }
                progressed = true;
            }
            if (pastHead || page.size() < pageSize) {
                break;
            }
            if (!progressed) {
                throw new IllegalStateException("the node answered a full page of events at height " + height
                        + " with none past index " + (index - 1) + "; it does not page by position (fromIndex), so a block "
                        + "with more than " + pageSize + " events cannot be read whole from it");
            }
        }
        return out;
    }
}
