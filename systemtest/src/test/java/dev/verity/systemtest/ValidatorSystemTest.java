package dev.verity.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.core.PublicKey;
import dev.verity.protocol.Params;
import dev.verity.sdk.VerityApiException;
import dev.verity.sdk.Wallet;
import dev.verity.sdk.api.TransactionReceipt;
import dev.verity.validator.ValidatorProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A validator of the release under what operators meet: clients that send their request bodies a byte at a time, a
 * disk that fills up, a machine crash that cuts the store's write-ahead log.
 */
class ValidatorSystemTest {
    @RegisterExtension
    static final Processes processes = new Processes();

    @TempDir
    Path dir;

    /** More slow clients than the API has worker threads (200): held threads would leave none for anyone else. */
    static final int SLOW_CLIENTS = 250;
    /** How often a slow client sends a byte: longer than another client may wait for its answer. */
    static final long DRIBBLE_MILLIS = 3_000;

    @Test
    void clientsSendingTheirBodiesAByteAtATimeDoNotStopOtherRequests() throws Exception {
        Network net = Network.create(processes, dir, Params.defaults());
        net.startValidator();
        URI api = URI.create(net.api());
        List<SlowClient> slow = new ArrayList<>();
        AtomicBoolean dribbling = new AtomicBoolean(true);
        AtomicInteger cutOff = new AtomicInteger();
        AtomicInteger answered408 = new AtomicInteger();
        List<String> otherAnswers = new CopyOnWriteArrayList<>();
        try {
            for (int i = 0; i < SLOW_CLIENTS; i++) {
                slow.add(new SlowClient(api));
            }
            // Every slow client sends one more byte every few seconds (a server that held a thread per body would hold
            // them that long); one the server cut off is replaced by a new one, so that SLOW_CLIENTS bodies keep coming.
            Thread dribbler = Thread.ofPlatform().daemon().name("slow-bodies").start(() -> {
                while (dribbling.get()) {
                    for (int i = 0; i < slow.size() && dribbling.get(); i++) {
                        SlowClient c = slow.get(i);
                        String answer = c.sendByte();
                        if (answer != null) {
                            cutOff.incrementAndGet();
                            if (answer.startsWith("HTTP/1.1 408")) {
                                answered408.incrementAndGet();
                            }
                            c.close();
                            try {
                                slow.set(i, new SlowClient(api));
                            } catch (IOException e) {
                                otherAnswers.add("could not open a new slow client: " + e);
                            }
                        }
                    }
                    VerityProcess.sleep(DRIBBLE_MILLIS);
                }
            });

            List<Long> millis = new ArrayList<>();
            long end = System.nanoTime() + Duration.ofSeconds(12).toNanos();
            while (System.nanoTime() < end) {
                long t0 = System.nanoTime();
                String status = getStatusLine(api, "/v1/status");
                millis.add((System.nanoTime() - t0) / 1_000_000);
                assertThat(status).as("GET /v1/status during the slow bodies").startsWith("HTTP/1.1 200");
                VerityProcess.sleep(200);
            }
            dribbling.set(false);
            dribbler.join(10_000);
            System.out.printf("[system test] GET /v1/status answered in %s ms while %d slow clients were cut off (%d with 408)%n",
                    millis, cutOff.get(), answered408.get());

            assertThat(millis).as("answer times (ms) of GET /v1/status, each on a new connection, while %d clients dribble "
                    + "their bodies", SLOW_CLIENTS).hasSizeGreaterThan(20).allSatisfy(ms -> assertThat(ms).isLessThan(DRIBBLE_MILLIS - 1_000));
            assertThat(otherAnswers).isEmpty();
            assertThat(answered408.get()).as("slow clients cut off with 408 by the minimum body rate (of %d cut off)", cutOff.get())
                    .isGreaterThanOrEqualTo(SLOW_CLIENTS);
            assertThat(net.validator().isAlive()).isTrue();
        } finally {
            dribbling.set(false);
            slow.forEach(SlowClient::close);
        }
    }

    @Test
    void aFullDiskStopsTheValidatorWithStatus74AndARestartKeepsEveryAcknowledgedTransaction() throws Exception {
        Network net = Network.create(processes, dir, Params.defaults());
        // The test seam of ValidatorProcess: the 50th block commit (5 s of blocks) fails as a full disk does ("No space
        // left on device").
        VerityProcess validator = net.startValidator(
                Map.of("VERITY_JAVA_OPTS", "-D" + ValidatorProcess.DISK_FULL_AT_COMMIT + "=50"));
        URI api = URI.create(net.api());
        List<String> readiness = new CopyOnWriteArrayList<>();
        AtomicBoolean watching = new AtomicBoolean(true);
        Thread watcher = Thread.ofPlatform().daemon().name("readyz").start(() -> {
            while (watching.get()) {
                try {
                    readiness.add(getResponse(api, "/readyz"));
                } catch (IOException e) {
                    readiness.add("unreachable: " + e.getMessage());
                }
                VerityProcess.sleep(5);
            }
        });

        Wallet wallet = new Wallet(net.sdk(), net.client().key());
        PublicKey recipient = PrivateKey.deterministic("recipient").publicKey();
        List<Hash> acknowledged = new ArrayList<>();
        String stoppedWith = null;
        int status;
        try {
            long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (stoppedWith == null && System.nanoTime() < end) {
                try {
                    acknowledged.add(wallet.transfer(recipient, 1));
                } catch (VerityApiException e) {
                    if ("MEMPOOL_FULL".equals(e.code())) {
                        VerityProcess.sleep(50);
                    } else {
                        stoppedWith = e.code() + ": " + e.getMessage();
                    }
                }
            }
            status = validator.awaitExit(Duration.ofSeconds(30));
        } finally {
            watching.set(false);
            watcher.join(5_000);
        }

        assertThat(status).as("the exit status of a storage failure: %s", validator.describe())
                .isEqualTo(ValidatorProcess.EXIT_STORAGE_FAILED);
        assertThat(stoppedWith).as("transactions are refused once the store failed").isNotNull();
        assertThat(acknowledged).as("transactions acknowledged before the disk filled up").isNotEmpty();
        assertThat(validator.stderr()).contains("FATAL", "storage failure", "No space left on device",
                "Nothing acknowledged is lost", "Exiting with status 74");
        List<String> notReady = readiness.stream().filter(r -> r.startsWith("HTTP/1.1 503")).toList();
        System.out.printf("[system test] %d transactions acknowledged before the disk filled up, then: %s; /readyz answered "
                + "ready %d times, not ready %d times%n", acknowledged.size(), stoppedWith,
                readiness.stream().filter(r -> r.startsWith("HTTP/1.1 200")).count(), notReady.size());
        // Between the failed commit and the exit the API may still answer for a moment: /readyz then fails, saying why.
        assertThat(notReady).as("/readyz while the validator stopped")
                .allSatisfy(r -> assertThat(r).contains("the node halted after a storage failure", "No space left on device"));
        int firstNotReady = readiness.indexOf(notReady.isEmpty() ? null : notReady.get(0));
        assertThat(readiness.subList(0, firstNotReady < 0 ? readiness.size() : firstNotReady))
                .as("/readyz was ready before the failure").anySatisfy(r -> assertThat(r).startsWith("HTTP/1.1 200"));
        if (firstNotReady >= 0) {
            assertThat(readiness.subList(firstNotReady, readiness.size())).as("never ready again after the failure")
                    .noneSatisfy(r -> assertThat(r).startsWith("HTTP/1.1 200"));
        }

        net.startValidator();

        for (Hash tx : acknowledged) {
            TransactionReceipt r = net.sdk().awaitReceipt(tx, Duration.ofSeconds(30));
            assertThat(r.status()).as("acknowledged transaction %s after the restart: %s %s", tx.hex(), r.code(),
                    r.message()).isEqualTo("INCLUDED");
        }
        assertThat(net.sdk().account(recipient).balance()).as("every acknowledged transfer, once")
                .isBetween((long) acknowledged.size(), acknowledged.size() + 1L);
    }

    @Test
    void aTruncatedWriteAheadLogIsReportedAtStartWithWhatMayBeLostAndHowToRecover() throws Exception {
        Network net = Network.create(processes, dir, Params.defaults());
        VerityProcess validator = net.startValidator();
        Wallet wallet = new Wallet(net.sdk(), net.client().key());
        PublicKey recipient = PrivateKey.deterministic("recipient").publicKey();
        Hash last = null;
        for (int i = 0; i < 20; i++) {
            last = wallet.transfer(recipient, 1);
        }
        net.assertIncluded(last);
        for (int i = 0; i < 5; i++) {
            wallet.transfer(recipient, 1); // acknowledged, in the stored mempool
        }
        assertThat(validator.kill()).as("killed by SIGKILL, as a crash").isEqualTo(128 + 9);

        Path wal = newestLog(net.validatorData().resolve("db"));
        try (RandomAccessFile f = new RandomAccessFile(wal.toFile(), "rw")) {
            assertThat(f.length()).as("%s holds the writes", wal).isGreaterThan(100);
            f.setLength(f.length() - 7);
        }

        VerityProcess refused = net.launchValidator(Map.of());
        int status = refused.awaitExit(Duration.ofSeconds(60));

        String dataDir = net.validatorData().toString();
        assertThat(status).as("the validator's exit status for a node that cannot start: %s", refused.describe())
                .isEqualTo(ValidatorProcess.EXIT_CANNOT_START);
        JsonNode error = refused.json();
        assertThat(error.path("code").asText()).isEqualTo("STORAGE");
        assertThat(error.path("message").asText()).as("what happened, what may be lost, how to recover")
                .contains("data directory " + dataDir, "write-ahead log", "truncated or corrupt",
                        "acknowledged mempool transactions, and possibly the newest blocks, may be missing",
                        "refuses to start", "verity chain repair --data-dir " + dataDir, "restore the directory from a backup");

        // Recovery as the message says: repair (keeping every write before the damage), check, start.
        JsonNode repaired = processes.run("chain-repair", "chain", "repair", "--data-dir", dataDir, "--json").ok().json();
        assertThat(repaired.path("walLossAccepted").asBoolean()).as("%s", repaired).isTrue();
        assertThat(repaired.path("clean").asBoolean()).as("%s", repaired).isTrue();
        JsonNode verified = processes.run("chain-verify", "chain", "verify", "--data-dir", dataDir, "--json").ok().json();
        assertThat(verified.path("ok").asBoolean()).as("%s", verified).isTrue();
        net.startValidator();
        long height = net.sdk().status().height();
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (net.sdk().status().height() <= height && System.nanoTime() < end) {
            VerityProcess.sleep(50);
        }
        assertThat(net.sdk().status().height()).as("the repaired chain produces blocks again").isGreaterThan(height);
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    /** The highest-numbered RocksDB write-ahead log file ({@code NNNNNN.log}) in {@code db}. */
    private static Path newestLog(Path db) throws IOException {
        try (Stream<Path> files = Files.list(db)) {
            return files.filter(p -> p.getFileName().toString().matches("\\d+\\.log"))
                    .max(Comparator.comparing(p -> p.getFileName().toString()))
                    .orElseThrow(() -> new AssertionError("no write-ahead log in " + db));
        }
    }

    /** GET on a new connection; the status line. */
    private static String getStatusLine(URI api, String path) throws IOException {
        String response = getResponse(api, path);
        int eol = response.indexOf("\r\n");
        return eol < 0 ? response : response.substring(0, eol);
    }

    /** GET on a new connection ({@code Connection: close}); the whole response. */
    private static String getResponse(URI api, String path) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), api.getPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A client that announces a 100,000-byte transaction and sends it one byte at a time. */
    private static final class SlowClient {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        SlowClient(URI api) throws IOException {
            socket = new Socket(InetAddress.getLoopbackAddress(), api.getPort());
            in = socket.getInputStream();
            out = socket.getOutputStream();
            out.write(("POST /v1/transactions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Length: 100000\r\n\r\nA").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        /** Sends one more byte; null while the server waits for more, else what it answered ("closed" if nothing). */
        String sendByte() {
            try {
                if (in.available() > 0) {
                    return new String(in.readNBytes(in.available()), StandardCharsets.UTF_8);
                }
                out.write('A');
                out.flush();
                return null;
            } catch (IOException e) {
                return "closed: " + e.getMessage();
            }
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}
