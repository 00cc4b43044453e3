package dev.verity.systemtest;

import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.core.PublicKey;
import dev.verity.protocol.tx.Payload;
import dev.verity.protocol.tx.SignedTransaction;
import dev.verity.protocol.tx.TransactionBody;
import dev.verity.sdk.VerityApiException;
import dev.verity.sdk.VerityClient;
import dev.verity.sdk.api.TransactionReceipt;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bounded, steady stream of transfers into a replicated chain: one thread per funded account, each sending transfers
 * of 1 base unit with its nonces in order, at a fixed rate, through one failover client over every validator's API
 * ({@link VerityClient#failover}). It records every transaction a validator acknowledged (its hash returned once the
 * replicated log committed it). A transaction whose submission failed (no validator answered, or the answer did not come
 * back) is sent again, the same bytes, until one acknowledges it or says it holds it already: whether the first attempt
 * reached the log cannot be told, and the next nonce must not overtake it.
 */
final class SteadyLoad implements AutoCloseable {
    /** How long one validator may take to answer a submission before the client tries the next. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(8);

    private final String chainId;
    private final VerityClient client;
    private final List<Thread> threads = new ArrayList<>();
    private final List<Hash> acknowledged = new CopyOnWriteArrayList<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> retries = new ConcurrentHashMap<>();
    private final PublicKey recipient = PrivateKey.deterministic("steady-load-recipient").publicKey();
    private volatile boolean running = true;

    /** Starts one sender per account, together {@code perSecond} transfers a second. */
    SteadyLoad(String chainId, List<String> apiUrls, List<PrivateKey> accounts, double perSecond) {
        this.chainId = chainId;
        this.client = VerityClient.failover(apiUrls, Duration.ofSeconds(2), REQUEST_TIMEOUT);
        long periodNanos = (long) (1e9 * accounts.size() / perSecond);
        for (PrivateKey account : accounts) {
            threads.add(Thread.ofPlatform().daemon().name("load-" + account.publicKey().hex().substring(0, 8))
                    .start(() -> send(account, periodNanos)));
        }
    }

    private void send(PrivateKey account, long periodNanos) {
        long nonce = 0;
        long next = System.nanoTime();
        while (running) {
            SignedTransaction tx = SignedTransaction.sign(new TransactionBody(chainId, account.publicKey(), nonce,
                    new Payload.Transfer(recipient, 1)), account);
            if (!submitUntilTaken(tx)) {
                return;
            }
            nonce++;
            next += periodNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                VerityProcess.sleep(wait / 1_000_000);
            } else {
                next = System.nanoTime(); // behind (a fault): no burst to catch up
            }
        }
    }

    /** Submits {@code tx} until it is acknowledged (true) or the load stops (false). */
    private boolean submitUntilTaken(SignedTransaction tx) {
        while (running) {
            try {
                TransactionReceipt r = client.submit(tx);
                acknowledged.add(Hash.fromHex(r.hash()));
                return true;
            } catch (VerityApiException e) {
                if (e.alreadySubmitted()) {
                    // A validator holds it from an attempt whose answer was lost: it is in the log, as good as acknowledged.
                    acknowledged.add(tx.hash());
                    return true;
                }
                retries.computeIfAbsent(e.code(), c -> new AtomicInteger()).incrementAndGet();
                // 408: the validator read the body too late for its minimum data rate (a busy machine); not taken, resent.
                // UNAVAILABLE: every validator was unavailable, in different ways (VerityApiException.unavailable() is
                // false for that aggregate code).
                boolean retryable = e.unavailable() || "REQUEST_TIMEOUT".equals(e.code()) || "UNAVAILABLE".equals(e.code());
                if (!retryable && errors.size() < 20) {
                    errors.add("nonce " + tx.body().nonce() + " of " + tx.body().sender().hex().substring(0, 8) + ": " + e);
                }
                VerityProcess.sleep(200);
            }
        }
        return false;
    }

    /** Stops sending (a submission under way ends first) and returns what was acknowledged. */
    List<Hash> stop() {
        running = false;
        for (Thread t : threads) {
            try {
                t.join(Duration.ofSeconds(60));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        return List.copyOf(acknowledged);
    }

    /** How many transactions were acknowledged so far. */
    int acknowledgedCount() {
        return acknowledged.size();
    }

    /** Waits until {@code more} transactions more than now were acknowledged; fails after {@code timeout}. */
    void awaitAcknowledged(int more, Duration timeout) {
        int target = acknowledged.size() + more;
        long end = System.nanoTime() + timeout.toNanos();
        while (acknowledged.size() < target) {
            if (System.nanoTime() > end) {
                throw new AssertionError("the load got " + (acknowledged.size() - target + more) + " of " + more
                        + " acknowledgements within " + timeout.toSeconds() + " s; failed submissions by code: " + retries
                        + ", errors: " + errors);
            }
            VerityProcess.sleep(50);
        }
    }

    /** Refusals other than an unavailable validator: a transfer of the load must never be refused. */
    List<String> errors() {
        return List.copyOf(errors);
    }

    /** Failed submission attempts (later retried) by error code. */
    Map<String, AtomicInteger> retries() {
        return Map.copyOf(retries);
    }

    PublicKey recipient() {
        return recipient;
    }

    @Override
    public void close() {
        running = false;
        client.close();
    }
}
