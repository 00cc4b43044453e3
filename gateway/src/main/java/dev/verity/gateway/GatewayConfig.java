package dev.verity.gateway;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the gateway listens and what it allows. Every answer is a paid job of the gateway's account, so the gateway
 * listens on 127.0.0.1 by default and refuses to listen beyond this machine without an API key.
 *
 * @param host                  the address to bind: 127.0.0.1 (this machine only), 0.0.0.0 (every interface), or one
 *                              interface's address
 * @param port                  the port (0 = any free port)
 * @param apiKey                when present, every request must carry {@code Authorization: Bearer <key>}; required
 *                              when {@code host} is not a loopback address
 * @param maxBodyBytes          the largest request body (413 beyond)
 * @param maxConcurrentAnswers  answers being generated at once, from all clients (429 beyond)
 * @param idleTimeout           a connection with nothing to read for this long is closed; also the longest a write to
 *                              a client that does not read may block before that answer is cancelled
 * @param minRequestDataRate    bytes per second a request body must arrive at, on average (408 below; 0 = none)
 * @param streamKeepAlive       the longest a stream stays silent: a comment line is sent after it (shorter than the
 *                              idle timeout, so waiting for a block does not close the stream)
 * @param maxThreads            Jetty's threads, which read requests (answers are generated on virtual threads)
 * @param maxConnections        open connections at most
 * @param maxRequestHeaderBytes the request line and headers at most (414 / 431 beyond)
 */
public record GatewayConfig(String host, int port, Optional<String> apiKey, long maxBodyBytes, int maxConcurrentAnswers,
                            Duration idleTimeout, long minRequestDataRate, Duration streamKeepAlive, int maxThreads,
                            int maxConnections, int maxRequestHeaderBytes) {
    public static final String LOOPBACK = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final long DEFAULT_MAX_BODY_BYTES = 1 << 20;
    public static final int DEFAULT_MAX_CONCURRENT_ANSWERS = 64;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    public static final long DEFAULT_MIN_REQUEST_DATA_RATE = 1024;
    public static final Duration DEFAULT_STREAM_KEEP_ALIVE = Duration.ofSeconds(15);

    public GatewayConfig {
        Objects.requireNonNull(apiKey, "apiKey");
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("the gateway's host must be an address such as 127.0.0.1 or 0.0.0.0");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("the gateway's port must be 0 to 65535, got " + port);
        }
        if (apiKey.isPresent() && apiKey.get().isBlank()) {
            throw new IllegalArgumentException("the API key must not be blank");
        }
        if (apiKey.isEmpty() && !isLoopback(host)) {
            throw new IllegalArgumentException("the gateway pays for every answer from its account, so it listens on "
                    + host + " (reachable from other machines) only with an API key; set one, or listen on 127.0.0.1");
        }
        if (maxBodyBytes < 1024) {
            throw new IllegalArgumentException("maxBodyBytes must be at least 1024, got " + maxBodyBytes);
        }
        positive(maxConcurrentAnswers, "maxConcurrentAnswers");
        positive(idleTimeout.toMillis(), "idleTimeout");
        positive(streamKeepAlive.toMillis(), "streamKeepAlive");
        if (minRequestDataRate < 0) {
            throw new IllegalArgumentException("minRequestDataRate must be 0 (none) or more bytes per second, got "
                    + minRequestDataRate);
        }
        if (maxThreads < 16) {
            throw new IllegalArgumentException("maxThreads must be at least 16 (Jetty's acceptors and selectors take up "
                    + "to 8), got " + maxThreads);
        }
        positive(maxConnections, "maxConnections");
        if (maxRequestHeaderBytes < 1024) {
            throw new IllegalArgumentException("maxRequestHeaderBytes must be at least 1024, got " + maxRequestHeaderBytes);
        }
    }

    private static void positive(long value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    /** The defaults, on 127.0.0.1:{@code port}, with no API key. */
    public static GatewayConfig loopback(int port) {
        return new GatewayConfig(LOOPBACK, port, Optional.empty(), DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_CONCURRENT_ANSWERS,
                DEFAULT_IDLE_TIMEOUT, DEFAULT_MIN_REQUEST_DATA_RATE, DEFAULT_STREAM_KEEP_ALIVE, 64, 1024, 16 * 1024);
    }

    /**
     * The defaults, listening on {@code HOST:PORT} ({@code 127.0.0.1:8080}, {@code 0.0.0.0:8080}, {@code [::1]:8080});
     * {@code apiKey} may be null on a loopback address. Throws IllegalArgumentException saying what is wrong.
     */
    public static GatewayConfig listen(String hostAndPort, String apiKey) {
        String usage = "give HOST:PORT, such as 127.0.0.1:8080 (this machine only), 0.0.0.0:8080 (every interface) or "
                + "[::1]:8080";
        String t = hostAndPort == null ? "" : hostAndPort.strip();
        int colon = t.lastIndexOf(':');
        if (colon < 1) {
            throw new IllegalArgumentException("'" + t + "' is not a listen address; " + usage);
        }
        String host = t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]") && host.length() > 2) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0 || host.indexOf('[') >= 0) {
            throw new IllegalArgumentException("'" + t + "': put an IPv6 address in brackets; " + usage);
        }
        int port;
        try {
            port = Integer.parseInt(t.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + t.substring(colon + 1) + "' is not a port (0 to 65535); " + usage);
        }
        GatewayConfig d = loopback(0);
        return new GatewayConfig(host, port, Optional.ofNullable(apiKey), d.maxBodyBytes, d.maxConcurrentAnswers,
                d.idleTimeout, d.minRequestDataRate, d.streamKeepAlive, d.maxThreads, d.maxConnections,
                d.maxRequestHeaderBytes);
    }

    public GatewayConfig withApiKey(String key) {
        return new GatewayConfig(host, port, Optional.of(key), maxBodyBytes, maxConcurrentAnswers, idleTimeout,
                minRequestDataRate, streamKeepAlive, maxThreads, maxConnections, maxRequestHeaderBytes);
    }

    public GatewayConfig withLimits(long maxBodyBytes, int maxConcurrentAnswers) {
        return new GatewayConfig(host, port, apiKey, maxBodyBytes, maxConcurrentAnswers, idleTimeout, minRequestDataRate,
                streamKeepAlive, maxThreads, maxConnections, maxRequestHeaderBytes);
    }

    public GatewayConfig withTimeouts(Duration idleTimeout, long minRequestDataRate, Duration streamKeepAlive) {
        return new GatewayConfig(host, port, apiKey, maxBodyBytes, maxConcurrentAnswers, idleTimeout, minRequestDataRate,
                streamKeepAlive, maxThreads, maxConnections, maxRequestHeaderBytes);
    }

    /** Whether {@code host} is {@code localhost} or a loopback address literal (no name lookup). */
    public static boolean isLoopback(String host) {
        String h = host.strip();
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
