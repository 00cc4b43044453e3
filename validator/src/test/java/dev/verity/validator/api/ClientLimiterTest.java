package dev.verity.validator.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Per-address limits with a hand-driven clock: each address has its own bucket, connections and streams. */
class ClientLimiterTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final ClientLimiter limiter = new ClientLimiter(2, 10, 5, 1, now::get);

    private void advanceMillis(long ms) {
        now.addAndGet(ms * 1_000_000L);
    }

    @Test
    void eachAddressHasItsOwnBucket() {
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.tryRequest("203.0.113.1")).isZero();
        }
        long wait = limiter.tryRequest("203.0.113.1");
        assertThat(wait).as("over the burst: wait for one token at 10/s").isBetween(1L, 100L);
        assertThat(limiter.tryRequest("203.0.113.2")).as("another address is not affected").isZero();
        advanceMillis(100);
        assertThat(limiter.tryRequest("203.0.113.1")).as("one token back after 100 ms").isZero();
        assertThat(limiter.tryRequest("203.0.113.1")).isPositive();
        advanceMillis(10_000);
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.tryRequest("203.0.113.1")).as("refilled to the burst, no more").isZero();
        }
        assertThat(limiter.tryRequest("203.0.113.1")).isPositive();
    }

    @Test
    void connectionsArePerAddressAndFreedOnClose() {
        assertThat(limiter.connectionOpened("198.51.100.7")).isTrue();
        assertThat(limiter.connectionOpened("198.51.100.7")).isTrue();
        assertThat(limiter.connectionOpened("198.51.100.7")).as("third connection").isFalse();
        assertThat(limiter.connectionOpened("198.51.100.8")).as("another address").isTrue();
        limiter.connectionClosed("198.51.100.7"); // the refused one closes: two open
        assertThat(limiter.connectionOpened("198.51.100.7")).as("still two open").isFalse();
        limiter.connectionClosed("198.51.100.7");
        limiter.connectionClosed("198.51.100.7"); // one open
        assertThat(limiter.connectionOpened("198.51.100.7")).isTrue();
    }

    @Test
    void streamsArePerAddress() {
        assertThat(limiter.tryOpenStream("192.0.2.1")).isTrue();
        assertThat(limiter.tryOpenStream("192.0.2.1")).isFalse();
        assertThat(limiter.tryOpenStream("192.0.2.2")).isTrue();
        limiter.streamClosed("192.0.2.1");
        assertThat(limiter.tryOpenStream("192.0.2.1")).isTrue();
    }

    @Test
    void idleAddressesAreForgotten() {
        for (int i = 0; i < 1000; i++) {
            limiter.tryRequest("10.0." + (i / 256) + "." + (i % 256));
        }
        limiter.connectionOpened("10.9.9.9");
        assertThat(limiter.trackedClients()).isEqualTo(1001);
        advanceMillis(2_000);
        limiter.sweep();
        assertThat(limiter.trackedClients()).as("only the address with an open connection stays").isEqualTo(1);
        limiter.connectionClosed("10.9.9.9");
        advanceMillis(2_000);
        limiter.sweep();
        assertThat(limiter.trackedClients()).isZero();
    }
}
