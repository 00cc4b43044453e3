package dev.verity.validator.api;

import dev.verity.ledger.block.Block;
import dev.verity.sdk.api.EventView;
import dev.verity.validator.chain.BlockListener;
import dev.verity.validator.chain.ChainNode;
import dev.verity.validator.chain.StoredEvents;
import io.javalin.http.sse.SseClient;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Server-Sent Events subscription. It listens to the chain from before the response starts, so
 * no block is missed: stored events are replayed first (when a start height was given), then live
 * ones follow, each sent once, in (height, index) order. The block listener only queues events; the
 * subscription's own thread writes them, so a slow client never holds up block production. A
 * client that falls more than {@link #QUEUE_CAPACITY} events behind is told where to resume and
 * disconnected.
 */
final class EventStream implements BlockListener {
    static final int QUEUE_CAPACITY = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(EventStream.class);
    private static final int REPLAY_PAGE = 1_000;
    private static final Object WAKE = new Object();

    /** Which events a subscription wants: all, or those naming one job, node or account. */
    record Filter(int kind, String idHex) {
        static final Filter ALL = new Filter(0, null);

        boolean test(EventView ev) {
            return switch (kind) {
                case 0 -> true;
                case StoredEvents.JOB -> idHex.equals(ev.job());
                case StoredEvents.NODE -> idHex.equals(ev.node());
                case StoredEvents.ACCOUNT -> idHex.equals(ev.account());
                default -> false;
            };
        }

        List<EventView> stored(ChainNode chain, long fromHeight, int limit) {
            return stored(chain, fromHeight, 0, limit);
        }

        List<EventView> stored(ChainNode chain, long fromHeight, int fromIndex, int limit) {
            return kind == 0 ? chain.eventsSince(fromHeight, fromIndex, limit)
                    : chain.eventsFor(kind, java.util.HexFormat.of().parseHex(idHex), fromHeight, fromIndex, limit);
        }
    }

    private final ChainNode chain;
    private final Filter filter;
    private final Long replayFrom;
    private final long keepAliveMillis;
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>(QUEUE_CAPACITY + 1);
    private volatile boolean overflowed;
    private volatile boolean stopped;
    private volatile Thread runner;
    private long lastHeight;
    private int lastIndex;

    /**
     * @param replayFrom replay stored events from this height before the live ones; null for live only
     * @param resumeAfterHeight with {@code resumeAfterIndex}: skip events up to and including this
     *     position (a reconnecting client's Last-Event-ID); -1 for none
     */
    EventStream(ChainNode chain, Filter filter, Long replayFrom, long resumeAfterHeight, int resumeAfterIndex, long keepAliveMillis) {
        this.chain = chain;
        this.filter = filter;
        this.replayFrom = replayFrom;
        this.keepAliveMillis = keepAliveMillis;
        this.lastHeight = resumeAfterHeight;
        this.lastIndex = resumeAfterIndex;
    }

    @Override
    public void onBlock(Block block, List<EventView> events) {
        if (stopped || overflowed) {
            return;
        }
        for (EventView ev : events) {
            if (filter.test(ev) && !queue.offer(ev)) {
                overflowed = true;
                queue.clear();
                queue.offer(WAKE);
                return;
            }
        }
    }

    /** Asks the subscription to end (server shutting down); it closes the response promptly. */
    void stop() {
        stopped = true;
        queue.offer(WAKE);
        Thread t = runner;
        if (t != null) {
            t.interrupt();
        }
    }

    /** Runs the subscription on the calling thread until the client goes away or {@link #stop()}. */
    void run(SseClient client) {
        runner = Thread.currentThread();
        try {
            if (stopped) {
                return;
            }
            if (replayFrom != null) {
                replay(client);
            }
            while (!stopped && !client.terminated()) {
                Object next = queue.poll(keepAliveMillis, TimeUnit.MILLISECONDS);
                if (overflowed) {
                    client.sendComment("this client fell more than " + QUEUE_CAPACITY + " events behind; reconnect with fromHeight="
                            + Math.max(0, lastHeight) + " (and Last-Event-ID " + lastHeight + ":" + lastIndex + ")");
                    break;
                }
                if (next == null) {
                    client.sendComment("keep-alive");
                } else if (next instanceof EventView ev) {
                    send(client, ev);
                }
            }
        } catch (InterruptedException e) {
            // stopping
        } catch (RuntimeException e) {
            if (!stopped) {
                LOG.debug("event stream ended: {}", e.toString());
            }
        } finally {
            chain.removeListener(this);
            client.close();
        }
    }

    private void replay(SseClient client) {
        long from = replayFrom;
        int limit = REPLAY_PAGE;
        while (!stopped && !client.terminated()) {
            List<EventView> page = filter.stored(chain, from, limit);
            boolean progressed = false;
            for (EventView ev : page) {
                if (stopped || client.terminated()) {
                    return;
                }
                progressed |= send(client, ev);
            }
            if (page.size() < limit) {
                return;
            }
            long tailHeight = page.get(page.size() - 1).height();
            if (!progressed && tailHeight == from) {
                limit = Math.min(limit * 2, Integer.MAX_VALUE / 2); // one block holds more events than a page
            } else {
                from = tailHeight;
            }
        }
    }

    /** Sends the event unless it is at or before the last one sent; returns whether it was sent. */
    private boolean send(SseClient client, EventView ev) {
        if (ev.height() < lastHeight || (ev.height() == lastHeight && ev.index() <= lastIndex)) {
            return false;
        }
        client.sendEvent(ev.type(), ev, ev.height() + ":" + ev.index());
        lastHeight = ev.height();
        lastIndex = ev.index();
        return true;
    }
}
