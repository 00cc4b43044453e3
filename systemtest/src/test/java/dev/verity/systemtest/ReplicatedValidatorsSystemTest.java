package dev.verity.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verity.core.Hash;
import dev.verity.sdk.VerityClient;
import dev.verity.sdk.api.TransactionReceipt;
import dev.verity.systemtest.ValidatorCluster.Member;
import dev.verity.validator.ValidatorProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four validators of the release replicating one chain over Apache Ratis, each its own process on loopback, under a
 * steady load of transfers sent through a failover client over all of them, and one fault per test: the leader killed
 * (SIGKILL) and restarted, the leader stopped (SIGSTOP) and continued, the leader cut off by a partition and healed,
 * every validator killed at once and restarted, a validator whose disk fills up (it exits 74) restarted, a validator
 * that signs two votes at one height.
 *
 * <p>Four validators of equal stake: a block is final once three sign it (more than two thirds), so finality survives
 * one validator down, and the log (a majority, three) does too. After each fault every test checks the same things
 * ({@link #assertConsistent}): the chain moved on past the fault on every validator, every acknowledged transaction is
 * in a block on every validator, every validator serves the same block and a certificate of the same state root at
 * every finalized height, and every validator's store, stopped, replays from genesis ({@code bin/verity chain verify})
 * to the same roots.
 */
class ReplicatedValidatorsSystemTest {
    @RegisterExtension
    static final Processes processes = new Processes();

    @TempDir
    Path dir;

    static final int VALIDATORS = 4;
    /** One sender thread (and funded account) each. */
    static final int LOAD_ACCOUNTS = 2;
    static final double TRANSFERS_PER_SECOND = 20;
    static final long BLOCK_INTERVAL_MILLIS = 200;
    /** How long the chain may take to go on after a fault ends (elections, a JVM start, catching up, on two cores). */
    static final Duration RECOVERY = Duration.ofSeconds(60);

    // ---- the faults --------------------------------------------------------------------------------------------

    @Test
    void theLeaderKilledWithSigkillIsReplacedAndCatchesUpWhenRestartedOnItsDataDirectory() throws Exception {
        ValidatorCluster cluster = cluster();
        cluster.startAll();
        try (SteadyLoad load = load(cluster)) {
            load.awaitAcknowledged(40, RECOVERY);
            Member leader = cluster.awaitLeader(RECOVERY);
            long before = cluster.maxHeight();
            long t0 = System.nanoTime();
            assertThat(cluster.kill(leader)).as("killed by SIGKILL").isEqualTo(128 + 9);

            Member next = awaitLeaderOtherThan(cluster, leader);
            long elected = millisSince(t0);
            cluster.awaitFinalizedPast(cluster.live(), before + 3, RECOVERY);
            load.awaitAcknowledged(20, RECOVERY);
            long resumed = millisSince(t0);

            cluster.start(leader);
            long restartedAt = cluster.maxHeight();
            long caughtUp = cluster.awaitFinalizedPast(cluster.members(), restartedAt, RECOVERY);
            System.out.printf("[system test] leader %s killed at height %d: %s leads after %d ms, blocks final again after "
                    + "%d ms; restarted, it caught up in %d ms%n", leader, before, next, elected, resumed, caughtUp);
            assertConsistent(cluster, load);
        }
    }

    @Test
    void theLeaderStoppedWithSigstopIsReplacedAndCatchesUpAfterSigcont() throws Exception {
        ValidatorCluster cluster = cluster();
        cluster.startAll();
        try (SteadyLoad load = load(cluster)) {
            load.awaitAcknowledged(40, RECOVERY);
            Member leader = cluster.awaitLeader(RECOVERY);
            long before = cluster.maxHeight();
            long t0 = System.nanoTime();
            cluster.pause(leader);
            try {
                Member next = awaitLeaderOtherThan(cluster, leader);
                cluster.awaitFinalizedPast(others(cluster, leader), before + 3, RECOVERY);
                load.awaitAcknowledged(20, RECOVERY);
                System.out.printf("[system test] leader %s stopped at height %d: %s leads, blocks final again after %d ms%n",
                        leader, before, next, millisSince(t0));
            } finally {
                cluster.resume(leader);
            }
            long resumedAt = cluster.maxHeight();
            long caughtUp = cluster.awaitFinalizedPast(cluster.members(), resumedAt, RECOVERY);
            System.out.printf("[system test] %s continued (SIGCONT) after %d ms stopped; caught up in %d ms%n", leader,
                    millisSince(t0) - caughtUp, caughtUp);
            assertThat(leader.isAlive()).isTrue();
            assertConsistent(cluster, load);
        }
    }

    @Test
    void theLeaderCutOffByAPartitionIsReplacedAndCatchesUpWhenItHeals() throws Exception {
        ValidatorCluster cluster = cluster();
        cluster.startAll();
        try (SteadyLoad load = load(cluster)) {
            load.awaitAcknowledged(40, RECOVERY);
            Member leader = cluster.awaitLeader(RECOVERY);
            long before = cluster.maxHeight();
            long t0 = System.nanoTime();
            cluster.cut(List.of(leader));
            Member next;
            try {
                // The three on the other side elect one of them and go on; the one cut off cannot commit anything.
                next = awaitLeaderOtherThan(cluster, leader);
                cluster.awaitFinalizedPast(others(cluster, leader), before + 3, RECOVERY);
                load.awaitAcknowledged(20, RECOVERY);
                long held = millisSince(t0);
                if (held < 5_000) {
                    VerityProcess.sleep(5_000 - held);
                }
                long isolatedHeight = cluster.status(leader).path("height").asLong();
                long majorityHeight = cluster.maxHeight();
                System.out.printf("[system test] partition %s | others for %d ms: %s leads the majority, at height %d; the "
                        + "one cut off is at height %d%n", leader, millisSince(t0), next, majorityHeight, isolatedHeight);
                assertThat(isolatedHeight).as("the validator cut off commits nothing new").isLessThanOrEqualTo(before + 2);
            } finally {
                cluster.heal();
            }
            long healedAt = cluster.maxHeight();
            long caughtUp = cluster.awaitFinalizedPast(cluster.members(), healedAt, RECOVERY);
            System.out.printf("[system test] healed; every validator finalized past height %d in %d ms%n", healedAt, caughtUp);
            assertConsistent(cluster, load);
        }
    }

    @Test
    void everyValidatorKilledAtOnceAndRestartedGoesOnFromItsStore() throws Exception {
        ValidatorCluster cluster = cluster();
        cluster.startAll();
        try (SteadyLoad load = load(cluster)) {
            load.awaitAcknowledged(40, RECOVERY);
            long before = cluster.maxHeight();
            // SIGKILL to all at once, as a power loss: nobody stops cleanly.
            cluster.members().parallelStream().forEach(cluster::kill);
            long t0 = System.nanoTime();
            VerityProcess.sleep(1_000);
            cluster.restartAll();
            Member leader = cluster.awaitLeader(RECOVERY);
            long caughtUp = cluster.awaitFinalizedPast(cluster.members(), before + 3, RECOVERY);
            load.awaitAcknowledged(20, RECOVERY);
            System.out.printf("[system test] all killed at height %d and restarted: %s leads; every validator finalized past "
                    + "it %d ms after the kill%n", before, leader, millisSince(t0));
            assertConsistent(cluster, load);
        }
    }

    @Test
    void aValidatorWhoseDiskFillsUpExits74AndCatchesUpWhenRestarted() throws Exception {
        ValidatorCluster cluster = cluster();
        Member full = cluster.member(3);
        // The seam of ValidatorProcess: this process's 30th block commit (the first is the genesis) fails as a full disk.
        cluster.startAll(m -> m == full ? "-D" + ValidatorProcess.DISK_FULL_AT_COMMIT + "=30" : "");
        try (SteadyLoad load = load(cluster)) {
            VerityProcess failed = full.process;
            int status = failed.awaitExit(RECOVERY);
            long t0 = System.nanoTime();
            assertThat(status).as("exit status of %s: %s", full, failed.describe()).isEqualTo(ValidatorProcess.EXIT_STORAGE_FAILED);
            assertThat(failed.stderr()).contains("No space left on device", "Exiting with status 74");
            long at = cluster.maxHeight();
            cluster.awaitFinalizedPast(others(cluster, full), at + 3, RECOVERY);
            load.awaitAcknowledged(20, RECOVERY);

            cluster.start(full);
            long restartedAt = cluster.maxHeight();
            long caughtUp = cluster.awaitFinalizedPast(cluster.members(), restartedAt, RECOVERY);
            System.out.printf("[system test] %s stopped with status 74 at height ~%d; the others went on; restarted %d ms "
                    + "later, it caught up in %d ms%n", full, at, millisSince(t0) - caughtUp, caughtUp);
            assertConsistent(cluster, load);
        }
    }

    @Test
    void aValidatorSigningTwoVotesAtOneHeightIsDetectedByEveryValidatorAndFinalityGoesOn() throws Exception {
        ValidatorCluster cluster = cluster();
        Member faulty = cluster.member(3);
        long height = 25;
        // The seam of ReplicatedConsensus: after its vote at this height, it signs a second one with another root.
        cluster.startAll(m -> m == faulty ? "-D" + ValidatorCluster.EQUIVOCATE_AT + "=" + height : "");
        try (SteadyLoad load = load(cluster)) {
            String detected = "EQUIVOCATION: validator " + faulty.publicKey().hex() + " signed two votes at height " + height;
            faulty.process.awaitStderr("signing a second vote at height " + height, RECOVERY);
            for (Member m : others(cluster, faulty)) {
                m.process.awaitStderr(detected, RECOVERY);
            }
            cluster.awaitFinalizedPast(cluster.members(), height + 10, RECOVERY);
            load.awaitAcknowledged(20, RECOVERY);

            // Each honest validator logged it once, at ERROR; the faulty one sees its own second vote the same way.
            for (Member m : others(cluster, faulty)) {
                List<String> lines = m.process.stderr().lines().filter(l -> l.contains(detected)).toList();
                assertThat(lines).as("%s's log", m).hasSize(1).allSatisfy(l -> assertThat(l).contains("ERROR"));
            }
            System.out.printf("[system test] %s equivocated at height %d; the faulty one logged it too: %s%n", faulty, height,
                    faulty.process.stderr().contains(detected));
            // The block at that height is final with its real root on every validator, the second vote's root nowhere.
            for (Member m : cluster.members()) {
                JsonNode block = cluster.get(m, "/v1/blocks/" + height).ok("block " + height + " of " + m);
                JsonNode cert = cluster.get(m, "/v1/blocks/" + height + "/certificate").ok("certificate " + height + " of " + m);
                assertThat(cert.path("stateRoot").asText()).as("certified root at %d on %s", height, m)
                        .isEqualTo(block.path("stateRoot").asText());
            }
            // The honest validators reported it by a transaction: the faulty one is slashed and out of the set, on every
            // validator, and the three honest ones finalize on.
            String faultyKey = faulty.publicKey().hex();
            for (Member m : cluster.members()) {
                JsonNode events = cluster.get(m, "/v1/events?account=" + faultyKey + "&fromHeight=" + height)
                        .ok("events of " + faulty + " on " + m);
                assertThat(events.findValuesAsText("type")).as("events of the faulty validator on %s", m)
                        .contains("VALIDATOR_SLASHED", "VALIDATOR_LEFT");
                JsonNode set = cluster.get(m, "/v1/validators").ok("validators of " + m);
                assertThat(set.findValuesAsText("key")).as("the set on %s", m).hasSize(VALIDATORS - 1).doesNotContain(faultyKey);
            }
            cluster.awaitFinalizedPast(others(cluster, faulty), cluster.maxHeight() + 3, RECOVERY);
            assertConsistent(cluster, load);
        }
    }

    // ---- the checks after a fault ------------------------------------------------------------------------------

    /**
     * Stops the load, then checks: no transfer was refused; every acknowledged transaction is INCLUDED, at one height,
     * on every validator; every validator serves, at every height up to the lowest finalized height, the same block
     * and a certificate of that block's state root signed by more than two thirds of the stake; then, with the log
     * frozen (every validator cut off from every other) and every validator stopped, each one's {@code bin/verity chain
     * verify} replays its store from genesis to the head it had, whose root is the one every validator holding that
     * height has.
     */
    private void assertConsistent(ValidatorCluster cluster, SteadyLoad load) throws Exception {
        long t0 = System.nanoTime();
        List<Hash> acknowledged = load.stop();
        assertThat(cluster.live()).as("every validator runs").hasSize(VALIDATORS);

        // Every acknowledged transaction, in a block, at the same height on every validator.
        Map<Hash, Long> at = new HashMap<>();
        for (Member m : cluster.members()) {
            try (VerityClient client = new VerityClient(m.api())) {
                for (Hash tx : acknowledged) {
                    TransactionReceipt r = client.awaitReceipt(tx, Duration.ofSeconds(30));
                    assertThat(r.status()).as("acknowledged transaction %s on %s: %s %s", tx.hex(), m, r.code(), r.message())
                            .isEqualTo(TransactionReceipt.INCLUDED);
                    Long first = at.putIfAbsent(tx, r.height());
                    if (first != null) {
                        assertThat(r.height()).as("the height of %s on %s", tx.hex(), m).isEqualTo(first);
                    }
                }
            }
        }
        assertThat(load.errors()).as("refusals of the load's transfers").isEmpty();
        long lastTxHeight = at.values().stream().mapToLong(Long::longValue).max().orElse(0);
        cluster.awaitFinalizedPast(cluster.members(), lastTxHeight, RECOVERY);

        // The same blocks and certificates everywhere up to the lowest finalized height.
        long finalized = Long.MAX_VALUE;
        for (Member m : cluster.members()) {
            finalized = Math.min(finalized, cluster.status(m).path("finalizedHeight").asLong());
        }
        List<Map<Long, String[]>> seen = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(VALIDATORS);
        try {
            List<Future<Map<Long, String[]>>> reads = new ArrayList<>();
            long upTo = finalized;
            for (Member m : cluster.members()) {
                reads.add(pool.submit(() -> blocksAndCertificates(cluster, m, upTo)));
            }
            for (Future<Map<Long, String[]>> f : reads) {
                seen.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        for (long h = 1; h <= finalized; h++) {
            String[] first = seen.get(0).get(h);
            for (int i = 1; i < VALIDATORS; i++) {
                assertThat(seen.get(i).get(h)).as("block hash and certified root at height %d on %s and %s", h,
                        cluster.member(0), cluster.member(i)).containsExactly(first);
            }
        }
        long checkedApi = millisSince(t0);

        // Freeze the log where it is, read each head, stop everyone, replay every store.
        cluster.isolateAll();
        Map<Member, JsonNode> heads = awaitStillHeads(cluster);
        for (Member m : cluster.members()) {
            long h = heads.get(m).path("height").asLong();
            for (Member other : cluster.members()) {
                if (heads.get(other).path("height").asLong() >= h) {
                    JsonNode block = cluster.get(other, "/v1/blocks/" + h).ok("block " + h + " of " + other);
                    assertThat(block.path("hash").asText()).as("block %d on %s and %s", h, m, other)
                            .isEqualTo(heads.get(m).path("headHash").asText());
                    assertThat(block.path("stateRoot").asText()).as("root of block %d on %s and %s", h, m, other)
                            .isEqualTo(heads.get(m).path("stateRoot").asText());
                }
            }
        }
        cluster.stopAll();
        List<VerityProcess> verifying = new ArrayList<>();
        for (Member m : cluster.members()) {
            verifying.add(processes.startCommand("chain-verify-" + m.name(),
                    List.of("chain", "verify", "--data-dir", m.dataDir.toString(), "--json")));
        }
        Map<String, String> roots = new LinkedHashMap<>();
        for (int i = 0; i < VALIDATORS; i++) {
            Member m = cluster.member(i);
            JsonNode report = processes.finish(verifying.get(i)).ok().json();
            JsonNode head = heads.get(m);
            assertThat(report.path("ok").asBoolean()).as("chain verify of %s: %s", m, report).isTrue();
            assertThat(report.path("replayed").asBoolean()).as("replayed from genesis: %s", report).isTrue();
            assertThat(report.path("blocks").asLong()).as("blocks replayed for %s", m).isEqualTo(head.path("height").asLong());
            assertThat(report.path("stateRoot").asText()).as("the replay's root for %s at height %d", m, head.path("height").asLong())
                    .isEqualTo(head.path("stateRoot").asText());
            roots.put(m.name(), report.path("blocks").asLong() + ":" + report.path("stateRoot").asText().substring(0, 12));
        }
        System.out.printf("[system test] consistent: %d acknowledged transactions included (last at height %d), heights 1..%d "
                        + "final with the same blocks and roots everywhere (%d ms), replays (height:root) %s; retried submissions %s; %d ms%n",
                acknowledged.size(), lastTxHeight, finalized, checkedApi, roots, load.retries(), millisSince(t0));
    }

    /** Height to {block hash, certified block hash, certified state root, block state root} of {@code m}, 1..{@code upTo}. */
    private static Map<Long, String[]> blocksAndCertificates(ValidatorCluster cluster, Member m, long upTo) {
        Map<Long, String[]> out = new HashMap<>();
        for (long h = 1; h <= upTo; h++) {
            JsonNode block = cluster.get(m, "/v1/blocks/" + h).ok("block " + h + " of " + m);
            JsonNode cert = cluster.get(m, "/v1/blocks/" + h + "/certificate").ok("certificate of block " + h + " on " + m);
            assertThat(cert.path("blockHash").asText()).as("certified block %d on %s", h, m).isEqualTo(block.path("hash").asText());
            assertThat(cert.path("stateRoot").asText()).as("certified root %d on %s", h, m).isEqualTo(block.path("stateRoot").asText());
            assertThat(3 * cert.path("signedStake").asLong()).as("signed stake at %d on %s: %s", h, m, cert)
                    .isGreaterThan(2 * cert.path("totalStake").asLong());
            out.put(h, new String[] {block.path("hash").asText(), block.path("stateRoot").asText()});
        }
        return out;
    }

    /** Waits until no validator's head moves for a second (the log frozen); returns each one's status then. */
    private static Map<Member, JsonNode> awaitStillHeads(ValidatorCluster cluster) {
        Map<Member, JsonNode> last = new LinkedHashMap<>();
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            Map<Member, JsonNode> now = new LinkedHashMap<>();
            for (Member m : cluster.members()) {
                now.put(m, cluster.status(m));
            }
            boolean still = !last.isEmpty() && cluster.members().stream()
                    .allMatch(m -> now.get(m).path("headHash").equals(last.get(m).path("headHash")));
            if (still) {
                return now;
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("the heads still move 30 s after every validator was cut off: " + now);
            }
            last.clear();
            last.putAll(now);
            VerityProcess.sleep(1_000);
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private ValidatorCluster cluster() {
        return ValidatorCluster.create(processes, dir, VALIDATORS, LOAD_ACCOUNTS, BLOCK_INTERVAL_MILLIS);
    }

    private static SteadyLoad load(ValidatorCluster cluster) {
        return new SteadyLoad(ValidatorCluster.CHAIN_ID, cluster.apiUrls(), cluster.loadAccounts(), TRANSFERS_PER_SECOND);
    }

    private static List<Member> others(ValidatorCluster cluster, Member except) {
        return cluster.members().stream().filter(m -> m != except).toList();
    }

    /** The leader of the validators other than {@code except}, once they elected one. */
    private static Member awaitLeaderOtherThan(ValidatorCluster cluster, Member except) {
        long end = System.nanoTime() + RECOVERY.toNanos();
        while (true) {
            Optional<Member> l = cluster.leader();
            if (l.isPresent() && l.get() != except) {
                return l.get();
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("the validators other than " + except + " elected no leader: " + cluster.describeAll());
            }
            VerityProcess.sleep(100);
        }
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
