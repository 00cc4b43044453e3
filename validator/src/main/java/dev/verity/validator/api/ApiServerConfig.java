package dev.verity.validator.api;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * How the API server listens and what it allows each client. The defaults suit a validator that is
 * reachable by strangers; {@link #loopback(int)} listens on 127.0.0.1 only.
 *
 * @param host the address to bind: 127.0.0.1 (the default, this machine only), 0.0.0.0 (every
 *     interface) or one interface's address
 * @param port the port (0 = any free port)
 * @param keepAlive the interval between keep-alive comments on event streams
 * @param idleTimeout a connection with nothing to read or write for this long is closed, and a
 *     blocked read of a request body gives up after it
 * @param minRequestDataRate bytes per second a request body must arrive at, on average; a slower
 *     one is cut off with 408 (0 = no minimum)
 * @param maxThreads threads that answer requests (event streams have their own)
 * @param queueCapacity requests waiting for a thread at most; beyond it new work is refused
 * @param maxConnections open connections at most, from all clients together
 * @param maxRequestHeaderBytes the request line and headers at most (414 / 431 beyond)
 * @param maxStreams open event streams at most, from all clients together (503 beyond)
 * @param maxConnectionsPerClient open connections from one address at most (429 beyond)
 * @param requestsPerSecond requests one address may make per second, on average (429 beyond)
 * @param requestBurst requests one address may make at once, before the per-second rate applies
 * @param maxStreamsPerClient open event streams from one address at most (429 beyond)
 * @param limitLoopback whether the per-address limits also apply to 127.0.0.1 / ::1 (off by default:
 *     the operator's own programs and the local devnet all connect from there)
 */
public record ApiServerConfig(String host, int port, Duration keepAlive, Duration idleTimeout, long minRequestDataRate,
                              int maxThreads, int queueCapacity, int maxConnections, int maxRequestHeaderBytes,
                              int maxStreams, int maxConnectionsPerClient, double requestsPerSecond, int requestBurst,
                              int maxStreamsPerClient, boolean limitLoopback) {
    public static final String LOOPBACK = "127.0.0.1";
    public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(15);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    public static final long DEFAULT_MIN_REQUEST_DATA_RATE = 1024;
    public static final int DEFAULT_MAX_THREADS = 200;
    public static final int DEFAULT_QUEUE_CAPACITY = 1024;
    public static final int DEFAULT_MAX_CONNECTIONS = 4096;
    public static final int DEFAULT_MAX_REQUEST_HEADER_BYTES = 8192;
    public static final int DEFAULT_MAX_STREAMS = 256;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_CLIENT = 32;
    public static final double DEFAULT_REQUESTS_PER_SECOND = 50;
    public static final int DEFAULT_REQUEST_BURST = 100;
    public static final int DEFAULT_MAX_STREAMS_PER_CLIENT = 8;

    public ApiServerConfig {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("the API host must be an address such as 127.0.0.1 or 0.0.0.0");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("the API port must be 0 to 65535, got " + port);
        }
        positive(keepAlive.toMillis(), "keepAlive");
        positive(idleTimeout.toMillis(), "idleTimeout");
        if (minRequestDataRate < 0) {
            throw new IllegalArgumentException("minRequestDataRate must be 0 (none) or more bytes per second, got " + minRequestDataRate);
        }
        if (maxThreads < 16) {
            throw new IllegalArgumentException("maxThreads must be at least 16 (Jetty's acceptors and selectors take up to 8), got "
                    + maxThreads);
        }
        positive(queueCapacity, "queueCapacity");
        positive(maxConnections, "maxConnections");
        if (maxRequestHeaderBytes < 1024) {
            throw new IllegalArgumentException("maxRequestHeaderBytes must be at least 1024, got " + maxRequestHeaderBytes);
        }
        positive(maxStreams, "maxStreams");
        positive(maxConnectionsPerClient, "maxConnectionsPerClient");
        if (!(requestsPerSecond > 0) || Double.isInfinite(requestsPerSecond)) {
            throw new IllegalArgumentException("requestsPerSecond must be a positive number, got " + requestsPerSecond);
        }
        positive(requestBurst, "requestBurst");
        positive(maxStreamsPerClient, "maxStreamsPerClient");
    }

    private static void positive(long value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    /** The defaults, listening on 127.0.0.1:{@code port}. */
    public static ApiServerConfig loopback(int port) {
        return new ApiServerConfig(LOOPBACK, port, DEFAULT_KEEP_ALIVE, DEFAULT_IDLE_TIMEOUT, DEFAULT_MIN_REQUEST_DATA_RATE,
                DEFAULT_MAX_THREADS, DEFAULT_QUEUE_CAPACITY, DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_REQUEST_HEADER_BYTES,
                DEFAULT_MAX_STREAMS, DEFAULT_MAX_CONNECTIONS_PER_CLIENT, DEFAULT_REQUESTS_PER_SECOND, DEFAULT_REQUEST_BURST,
                DEFAULT_MAX_STREAMS_PER_CLIENT, false);
    }

    /** The defaults, listening on {@code host:port}. */
    public static ApiServerConfig listen(String host, int port) {
        return loopback(port).withListen(host, port);
    }

    /**
     * Parses {@code HOST:PORT} ({@code 127.0.0.1:8645}, {@code 0.0.0.0:8645}, {@code [::1]:8645},
     * {@code localhost:0}); throws IllegalArgumentException with a message that says what is wrong.
     */
    public static ListenAddress parseListen(String text) {
        String usage = "give HOST:PORT, such as 127.0.0.1:8645 (this machine only), 0.0.0.0:8645 (every interface) "
                + "or [::1]:8645 (IPv6 in brackets)";
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("the listen address is empty; " + usage);
        }
        String t = text.strip();
        int colon = t.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("'" + t + "' has no port; " + usage);
        }
        String host = t.substring(0, colon);
        String portText = t.substring(colon + 1);
        if (host.startsWith("[")) {
            if (!host.endsWith("]") || host.length() < 3) {
                throw new IllegalArgumentException("'" + t + "' has an unclosed IPv6 bracket; " + usage);
            }
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            throw new IllegalArgumentException("'" + t + "': put an IPv6 address in brackets, as [::1]:8645; " + usage);
        }
        if (host.isBlank()) {
            throw new IllegalArgumentException("'" + t + "' has no host; " + usage);
        }
        if (!host.matches("[A-Za-z0-9._:%-]+")) {
            throw new IllegalArgumentException("'" + host + "' is not a host name or IP address; " + usage);
        }
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("'" + portText + "' is not a port (0 to 65535; 0 = any free port); " + usage);
        }
        return new ListenAddress(host, port);
    }

    /** A parsed {@code HOST:PORT}. */
    public record ListenAddress(String host, int port) {
        public boolean isLoopback() {
            return ApiServerConfig.isLoopback(host);
        }

        @Override
        public String toString() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    public ApiServerConfig withListen(String host, int port) {
        return new ApiServerConfig(host, port, keepAlive, idleTimeout, minRequestDataRate, maxThreads, queueCapacity,
                maxConnections, maxRequestHeaderBytes, maxStreams, maxConnectionsPerClient, requestsPerSecond, requestBurst,
                maxStreamsPerClient, limitLoopback);
    }

    public ApiServerConfig withKeepAlive(Duration keepAlive) {
        return new ApiServerConfig(host, port, keepAlive, idleTimeout, minRequestDataRate, maxThreads, queueCapacity,
                maxConnections, maxRequestHeaderBytes, maxStreams, maxConnectionsPerClient, requestsPerSecond, requestBurst,
                maxStreamsPerClient, limitLoopback);
    }

    /** The idle timeout and the minimum request body rate (bytes per second, 0 = none). */
    public ApiServerConfig withTimeouts(Duration idleTimeout, long minRequestDataRate) {
        return new ApiServerConfig(host, port, keepAlive, idleTimeout, minRequestDataRate, maxThreads, queueCapacity,
                maxConnections, maxRequestHeaderBytes, maxStreams, maxConnectionsPerClient, requestsPerSecond, requestBurst,
                maxStreamsPerClient, limitLoopback);
    }

    /** The worker threads, their queue, and the connections and event streams from all clients together. */
    public ApiServerConfig withCapacity(int maxThreads, int queueCapacity, int maxConnections, int maxStreams) {
        return new ApiServerConfig(host, port, keepAlive, idleTimeout, minRequestDataRate, maxThreads, queueCapacity,
                maxConnections, maxRequestHeaderBytes, maxStreams, maxConnectionsPerClient, requestsPerSecond, requestBurst,
                maxStreamsPerClient, limitLoopback);
    }

    /** The limits on each client address, and whether they apply to loopback clients too. */
    public ApiServerConfig withClientLimits(int maxConnectionsPerClient, double requestsPerSecond, int requestBurst,
                                            int maxStreamsPerClient, boolean limitLoopback) {
        return new ApiServerConfig(host, port, keepAlive, idleTimeout, minRequestDataRate, maxThreads, queueCapacity,
                maxConnections, maxRequestHeaderBytes, maxStreams, maxConnectionsPerClient, requestsPerSecond, requestBurst,
                maxStreamsPerClient, limitLoopback);
    }

    /** Whether {@link #host()} is a loopback address, reachable from this machine only. */
    public boolean isLoopback() {
        return isLoopback(host);
    }

    /** Whether {@code host} names a loopback address ({@code localhost}, 127.x.x.x, ::1). */
    public static boolean isLoopback(String host) {
        String h = host.strip();
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (h.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}") || h.matches("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
            try {
                return InetAddress.getByName(h).isLoopbackAddress(); // a literal: no lookup
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return false;
    }
}
