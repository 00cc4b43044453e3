package dev.verity.validator.api;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Per-client (remote address) limits: open connections, requests per second (a token bucket of
 * {@code burst} tokens refilled at {@code ratePerSecond}) and open event streams. Thread-safe. A
 * client's entry is dropped once it has no connection or stream open and its bucket is full again,
 * so the table holds about as many entries as there are connected clients.
 */
final class ClientLimiter {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long SWEEP_INTERVAL_NANOS = NANOS_PER_SECOND;

    private final int maxConnections;
    private final double ratePerSecond;
    private final int burst;
    private final int maxStreams;
    private final LongSupplier nanoClock;
    private final Map<String, Client> clients = new ConcurrentHashMap<>();
    private volatile long nextSweep;

    private static final class Client {
        int connections;
        int streams;
        double tokens;
        long refilledAt;

        Client(double tokens, long now) {
            this.tokens = tokens;
            this.refilledAt = now;
        }
    }

    ClientLimiter(int maxConnections, double ratePerSecond, int burst, int maxStreams) {
        this(maxConnections, ratePerSecond, burst, maxStreams, System::nanoTime);
    }

    ClientLimiter(int maxConnections, double ratePerSecond, int burst, int maxStreams, LongSupplier nanoClock) {
        if (maxConnections < 1 || !(ratePerSecond > 0) || burst < 1 || maxStreams < 1) {
            throw new IllegalArgumentException("client limits must be positive");
        }
        this.maxConnections = maxConnections;
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
        this.maxStreams = maxStreams;
        this.nanoClock = nanoClock;
        this.nextSweep = nanoClock.getAsLong() + SWEEP_INTERVAL_NANOS;
    }

    int maxConnections() {
        return maxConnections;
    }

    double ratePerSecond() {
        return ratePerSecond;
    }

    int burst() {
        return burst;
    }

    int maxStreams() {
        return maxStreams;
    }

    private Client client(String address, long now) {
        return clients.computeIfAbsent(address, a -> new Client(burst, now));
    }

    /**
     * Counts a new connection from {@code address}; false when it is over the limit (it is counted
     * all the same: call {@link #connectionClosed} when it closes).
     */
    boolean connectionOpened(String address) {
        long now = nanoClock.getAsLong();
        while (true) {
            Client c = client(address, now);
            synchronized (c) {
                if (clients.get(address) != c) {
                    continue; // swept away meanwhile
                }
                c.connections++;
                return c.connections <= maxConnections;
            }
        }
    }

    void connectionClosed(String address) {
        Client c = clients.get(address);
        if (c != null) {
            synchronized (c) {
                c.connections = Math.max(0, c.connections - 1);
            }
        }
        sweepIfDue();
    }

    /** Takes a token for one request: 0 when allowed, else the milliseconds until the next token. */
    long tryRequest(String address) {
        long now = nanoClock.getAsLong();
        try {
            while (true) {
                Client c = client(address, now);
                synchronized (c) {
                    if (clients.get(address) != c) {
                        continue;
                    }
                    refill(c, now);
                    if (c.tokens >= 1) {
                        c.tokens -= 1;
                        return 0;
                    }
                    return Math.max(1, (long) Math.ceil((1 - c.tokens) * 1000 / ratePerSecond));
                }
            }
        } finally {
            sweepIfDue();
        }
    }

    /** Counts an event stream opened by {@code address}; false (and not counted) when it is at its limit. */
    boolean tryOpenStream(String address) {
        long now = nanoClock.getAsLong();
        while (true) {
            Client c = client(address, now);
            synchronized (c) {
                if (clients.get(address) != c) {
                    continue;
                }
                if (c.streams >= maxStreams) {
                    return false;
                }
                c.streams++;
                return true;
            }
        }
    }

    void streamClosed(String address) {
        Client c = clients.get(address);
        if (c != null) {
            synchronized (c) {
                c.streams = Math.max(0, c.streams - 1);
            }
        }
    }

    /** Addresses with an entry now (for tests and metrics). */
    int trackedClients() {
        return clients.size();
    }

    /** Drops the entries of idle clients now. */
    void sweep() {
        long now = nanoClock.getAsLong();
        for (Iterator<Map.Entry<String, Client>> it = clients.entrySet().iterator(); it.hasNext(); ) {
            Client c = it.next().getValue();
            synchronized (c) {
                refill(c, now);
                if (c.connections == 0 && c.streams == 0 && c.tokens >= burst) {
                    it.remove();
                }
            }
        }
    }

    private void sweepIfDue() {
        long now = nanoClock.getAsLong();
        if (now - nextSweep >= 0) {
            nextSweep = now + SWEEP_INTERVAL_NANOS;
            sweep();
        }
    }

    private void refill(Client c, long now) {
        long elapsed = now - c.refilledAt;
        if (elapsed > 0) {
            c.tokens = Math.min(burst, c.tokens + elapsed * ratePerSecond / NANOS_PER_SECOND);
            c.refilledAt = now;
        }
    }
}
