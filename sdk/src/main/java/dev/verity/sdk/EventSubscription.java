package dev.verity.sdk;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A live event stream from {@link VerityClient#streamEvents}. Events are delivered on one daemon
 * thread, in chain order. {@link #close()} ends it; if the node ends it (or the connection breaks)
 * the error callback gets a {@link VerityApiException} with code {@code STREAM_CLOSED}, and
 * {@link #lastEventId()} says where to resume ({@code height:index}). On a client with several validators
 * ({@link VerityClient#failover}) the stream first moves to the next validator that answers, from that position.
 */
public final class EventSubscription implements Closeable {
    private volatile InputStream body;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean closed;
    private volatile String lastEventId;
    private volatile Thread reader;

    EventSubscription(InputStream body) {
        this.body = body;
    }

    void start(Thread t) {
        reader = t;
        t.start();
    }

    /** Reads on from {@code next} (the stream opened again); false, with {@code next} closed, when this was closed. */
    boolean attach(InputStream next) {
        body = next;
        if (closed) {
            closeQuietly(next);
            return false;
        }
        return true;
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // closing is best effort; the reader thread ends either way
        }
    }

    void seen(String id) {
        lastEventId = id;
    }

    void finished() {
        finished.countDown();
    }

    boolean closedByUser() {
        return closed;
    }

    /** The id ({@code height:index}) of the last event delivered, or null before the first. */
    public String lastEventId() {
        return lastEventId;
    }

    /** The height of the last event delivered, or -1 before the first. */
    public long lastHeight() {
        String id = lastEventId;
        if (id == null) {
            return -1;
        }
        int colon = id.indexOf(':');
        try {
            return Long.parseLong(colon < 0 ? id : id.substring(0, colon));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** True until the stream ends, by {@link #close()} or from the node's side. */
    public boolean isOpen() {
        return finished.getCount() > 0;
    }

    /** Waits until the stream has ended; returns false on timeout. */
    public boolean awaitClosed(long timeout, TimeUnit unit) throws InterruptedException {
        return finished.await(timeout, unit);
    }

    /**
     * Ends the stream and the connection. Declared with {@link IOException} as {@link Closeable} is;
     * it never throws.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(body);
        Thread t = reader;
        if (t != null && t != Thread.currentThread()) {
            t.interrupt();
        }
    }
}
