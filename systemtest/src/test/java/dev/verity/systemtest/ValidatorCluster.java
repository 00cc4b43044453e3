package dev.verity.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verity.core.PrivateKey;
import dev.verity.core.PublicKey;
import dev.verity.devnet.DevnetGenesis;
import dev.verity.ledger.Genesis;
import dev.verity.sdk.KeyFiles;
import dev.verity.testkit.TestGenesis;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * Several validators of the release replicating one chain over Apache Ratis on loopback, each its own {@code bin/verity
 * validator} process with its own key, data directory, API port and Raft port ({@code --peer} names every validator).
 * What an operator makes with other tools is made here: the keys and the genesis, which lists every validator with
 * equal stake and funds the accounts of the load ({@link SteadyLoad}).
 *
 * <p>Faults, from outside the processes: {@link #kill} (SIGKILL: a crash), {@link #pause}/{@link #resume} (SIGSTOP and
 * SIGCONT: a process that hangs, then runs on), {@link #cut}/{@link #heal} (a partition through the validators' test seam
 * {@code -Dverity.test.partitionFile}: each validator refuses the Raft requests of the peers listed in its file), and
 * restarts on the same data directory. Every validator runs with the partition seam (its file empty: no cut) and with
 * Ratis' role changes logged, from which {@link #leader} reads who leads the log.
 */
final class ValidatorCluster {
    static final String CHAIN_ID = DevnetGenesis.CHAIN_ID;
    /** What genesis gives each load account. */
    static final long FUNDS = 1_000_000 * TestGenesis.VRT;
    /** How long a validator may take to serve its API (a JVM start on a busy two-core machine that runs several). */
    static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    /** The partition seam, read by {@code PartitionSeam} in the validator. */
    static final String PARTITION_FILE = "verity.test.partitionFile";
    /** The equivocation seam, read by {@code ReplicatedConsensus} in the validator. */
    static final String EQUIVOCATE_AT = "verity.test.equivocateAt";
    /** Ratis logs role changes ("changes role from CANDIDATE to LEADER at term 3") with this logger, at INFO. */
    private static final String ROLE_LOGGER = "org.apache.ratis.server.RaftServer$Division";
    private static final Pattern ROLE_CHANGE = Pattern.compile(
            "(v[0-9a-f]{16})@group-\\S+: changes role from (\\w+) to (\\w+) at term (\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One validator: its key, folders, ports, and its process once started. */
    static final class Member {
        final int index;
        final PrivateKey key;
        final Path keyFile;
        final Path dataDir;
        final Path partitionFile;
        final int apiPort;
        final int raftPort;
        VerityProcess process;

        Member(int index, PrivateKey key, Path keyFile, Path dataDir, Path partitionFile, int apiPort, int raftPort) {
            this.index = index;
            this.key = key;
            this.keyFile = keyFile;
            this.dataDir = dataDir;
            this.partitionFile = partitionFile;
            this.apiPort = apiPort;
            this.raftPort = raftPort;
        }

        String name() {
            return "validator-" + index;
        }

        String api() {
            return "http://127.0.0.1:" + apiPort;
        }

        PublicKey publicKey() {
            return key.publicKey();
        }

        /** Its member id in the replicated log: {@code v} and the first 16 hex digits of its key. */
        String raftId() {
            return "v" + key.publicKey().hex().substring(0, 16);
        }

        boolean isAlive() {
            return process != null && process.isAlive();
        }

        @Override
        public String toString() {
            return name() + " (" + raftId() + (process == null ? "" : ", pid " + process.pid()) + ")";
        }
    }

    private final Processes processes;
    private final Path dir;
    private final long blockIntervalMillis;
    private final List<Member> members;
    private final List<PrivateKey> loadAccounts;
    private final Path genesisFile;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ValidatorCluster(Processes processes, Path dir, long blockIntervalMillis, List<Member> members,
                             List<PrivateKey> loadAccounts, Path genesisFile) {
        this.processes = processes;
        this.dir = dir;
        this.blockIntervalMillis = blockIntervalMillis;
        this.members = members;
        this.loadAccounts = loadAccounts;
        this.genesisFile = genesisFile;
    }

    /**
     * Makes the keys, the folders and the genesis of {@code validators} validators and {@code loadAccounts} funded
     * accounts in {@code dir}, and picks free ports. Starts nothing.
     */
    static ValidatorCluster create(Processes processes, Path dir, int validators, int loadAccounts, long blockIntervalMillis) {
        try {
            Files.createDirectories(dir.resolve("keys"));
            List<PrivateKey> keys = new ArrayList<>();
            List<Member> members = new ArrayList<>();
            int[] ports = freePorts(2 * validators);
            for (int i = 0; i < validators; i++) {
                PrivateKey key = KeyFiles.generate();
                Path keyFile = dir.resolve("keys").resolve("validator-" + i + ".json");
                KeyFiles.save(keyFile, key);
                keys.add(key);
                Path home = dir.resolve("validator-" + i);
                Files.createDirectories(home);
                Path partition = home.resolve("partition");
                Files.writeString(partition, "");
                members.add(new Member(i, key, keyFile, home.resolve("data"), partition, ports[2 * i], ports[2 * i + 1]));
            }
            List<PrivateKey> accounts = IntStream.range(0, loadAccounts).mapToObj(i -> KeyFiles.generate()).toList();
            Path genesisFile = dir.resolve("genesis.bin");
            Files.write(genesisFile, genesis(keys, accounts).encode());
            return new ValidatorCluster(processes, dir, blockIntervalMillis, List.copyOf(members), accounts, genesisFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The genesis: every validator with equal stake, every load account funded. The only place that builds it, so
     * that a change of how genesis lists validators (keys, or keys with stake and addresses) changes one method.
     */
    private static Genesis genesis(List<PrivateKey> validators, List<PrivateKey> funded) {
        TestGenesis genesis = TestGenesis.chain(CHAIN_ID).at(System.currentTimeMillis()).params(DevnetGenesis.params());
        for (PrivateKey v : validators) {
            genesis.validator(v);
        }
        for (PrivateKey a : funded) {
            genesis.fund(a, FUNDS);
        }
        return genesis.build();
    }

    private static int[] freePorts(int n) throws IOException {
        List<ServerSocket> open = new ArrayList<>();
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0);
                open.add(s);
                ports[i] = s.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket s : open) {
                s.close();
            }
        }
    }

    List<Member> members() {
        return members;
    }

    Member member(int i) {
        return members.get(i);
    }

    List<Member> live() {
        return members.stream().filter(Member::isAlive).toList();
    }

    List<PrivateKey> loadAccounts() {
        return loadAccounts;
    }

    List<String> apiUrls() {
        return members.stream().map(Member::api).toList();
    }

    Path dir() {
        return dir;
    }

    long blockIntervalMillis() {
        return blockIntervalMillis;
    }

    // ---- processes ---------------------------------------------------------------------------------------------

    /** Starts every validator and waits until each serves its API and one leads the log. */
    void startAll() {
        startAll(m -> "");
    }

    /** As {@link #startAll()}, validator {@code m} with the JVM options {@code javaOptions.apply(m)} added (test seams). */
    void startAll(java.util.function.Function<Member, String> javaOptions) {
        members.forEach(m -> launch(m, javaOptions.apply(m)));
        members.forEach(this::awaitStarted);
        awaitLeader(START_TIMEOUT);
    }

    /** Starts every validator that does not run, side by side, on its data directory; waits until each serves its API. */
    void restartAll() {
        List<Member> stopped = members.stream().filter(m -> !m.isAlive()).toList();
        stopped.forEach(m -> launch(m, ""));
        stopped.forEach(this::awaitStarted);
    }

    /** Starts validator {@code m} (on its data directory, new or not) with {@code javaOptions} added; waits for its API. */
    VerityProcess start(Member m, String javaOptions) {
        launch(m, javaOptions);
        awaitStarted(m);
        return m.process;
    }

    VerityProcess start(Member m) {
        return start(m, "");
    }

    /** Starts validator {@code m} and returns at once. */
    VerityProcess launch(Member m, String javaOptions) {
        if (m.isAlive()) {
            throw new IllegalStateException(m + " runs already");
        }
        List<String> args = new ArrayList<>(List.of("validator", "--data-dir", m.dataDir.toString(), "--key", m.keyFile.toString(),
                "--genesis", genesisFile.toString(), "--port", Integer.toString(m.apiPort), "--block-interval",
                Long.toString(blockIntervalMillis), "--json"));
        for (Member peer : members) {
            args.add("--peer");
            args.add(peer.publicKey().hex() + "=127.0.0.1:" + peer.raftPort);
        }
        // The serial collector, the quick compiler and a modest heap: four validators and the test share a small machine.
        String opts = "-Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -D" + PARTITION_FILE + "=" + m.partitionFile
                + " -Dorg.slf4j.simpleLogger.log." + ROLE_LOGGER + "=info -Dorg.slf4j.simpleLogger.log.dev.verity.validator=info "
                + javaOptions;
        m.process = processes.start(m.name(), Map.of("VERITY_JAVA_OPTS", opts.strip()), args);
        return m.process;
    }

    private void awaitStarted(Member m) {
        m.process.awaitStdout("\"api\"", START_TIMEOUT);
        JsonNode started = m.process.json();
        assertThat(started.path("validator").asText()).isEqualTo(m.publicKey().hex());
        assertThat(started.path("api").asText()).endsWith(":" + m.apiPort);
    }

    /** SIGKILL, as a crash or a power loss: nothing of the process runs after it. Returns its exit status. */
    int kill(Member m) {
        int status = m.process.kill();
        System.out.printf("[system test] %s killed (SIGKILL): exit status %d%n", m, status);
        return status;
    }

    /** SIGTERM, as a supervisor stops it (SIGKILL after {@link VerityProcess#STOP_GRACE}). */
    int stop(Member m) {
        return m.process.stop();
    }

    /** Stops every running validator side by side (SIGTERM, SIGKILL after the grace period). */
    void stopAll() {
        List<Member> running = live();
        running.forEach(m -> m.process.requestStop());
        running.forEach(m -> m.process.stop());
    }

    /** SIGSTOP: the process stays, stopped in the middle of whatever it did, until {@link #resume}. */
    void pause(Member m) {
        signal(m, "STOP");
    }

    /** SIGCONT after {@link #pause}. */
    void resume(Member m) {
        signal(m, "CONT");
    }

    private static void signal(Member m, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(m.process.pid())).redirectErrorStream(true).start();
            String out = new String(kill.getInputStream().readAllBytes());
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new AssertionError("kill -" + signal + " " + m.process.pid() + " failed: " + out);
            }
            System.out.printf("[system test] %s: SIG%s%n", m, signal);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    // ---- partitions --------------------------------------------------------------------------------------------

    /** Cuts the network between {@code side} and every other validator, both ways. */
    void cut(Collection<Member> side) {
        try {
            for (Member m : members) {
                boolean inside = side.contains(m);
                List<String> others = members.stream().filter(o -> side.contains(o) != inside).map(Member::raftId).toList();
                Files.write(m.partitionFile, others);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.printf("[system test] partition: %s | the others%n", side);
    }

    /** Cuts every validator off from every other: no Raft request passes, so the log stops where it is. */
    void isolateAll() {
        try {
            for (Member m : members) {
                Files.write(m.partitionFile, members.stream().filter(o -> o != m).map(Member::raftId).toList());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Heals every cut. */
    void heal() {
        try {
            for (Member m : members) {
                Files.writeString(m.partitionFile, "");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.println("[system test] partition healed");
    }

    // ---- the leader --------------------------------------------------------------------------------------------

    /**
     * The validator that leads the log now, as Ratis' role changes in the live processes' logs say: the one that became
     * LEADER at the highest term and has not changed role since. Empty while none does (an election).
     */
    Optional<Member> leader() {
        Member best = null;
        long bestTerm = -1;
        for (Member m : live()) {
            Matcher r = ROLE_CHANGE.matcher(m.process.stderr());
            String role = null;
            long term = -1;
            while (r.find()) {
                role = r.group(3);
                term = Long.parseLong(r.group(4));
            }
            if ("LEADER".equals(role) && term > bestTerm) {
                best = m;
                bestTerm = term;
            }
        }
        // A leader at a lower term than another live validator's latest term may be deposed without knowing it yet.
        for (Member m : live()) {
            Matcher r = ROLE_CHANGE.matcher(m.process.stderr());
            while (r.find()) {
                if (Long.parseLong(r.group(4)) > bestTerm) {
                    return Optional.empty();
                }
            }
        }
        return Optional.ofNullable(best);
    }

    /** Waits until {@link #leader} names one. */
    Member awaitLeader(Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<Member> l = leader();
            if (l.isPresent()) {
                return l.get();
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("no validator leads the log after " + timeout.toSeconds() + " s: " + describeAll());
            }
            VerityProcess.sleep(100);
        }
    }

    // ---- the API -----------------------------------------------------------------------------------------------

    /** GET {@code path} on {@code m}'s API: the status code and the JSON body. */
    Answer get(Member m, String path) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(m.api() + path)).timeout(Duration.ofSeconds(10)).GET().build();
        try {
            HttpResponse<byte[]> res = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
            JsonNode body = res.body().length == 0 ? JSON.nullNode() : JSON.readTree(res.body());
            return new Answer(res.statusCode(), body);
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + m.api() + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** An API answer. */
    record Answer(int status, JsonNode body) {
        JsonNode ok(String what) {
            if (status != 200) {
                throw new AssertionError(what + ": HTTP " + status + " " + body);
            }
            return body;
        }
    }

    /** {@code GET /v1/status} of {@code m}. */
    JsonNode status(Member m) {
        return get(m, "/v1/status").ok("status of " + m);
    }

    /** The status of {@code m}, or empty when it does not answer (stopped, starting, halted). */
    Optional<JsonNode> statusIfUp(Member m) {
        try {
            Answer a = get(m, "/v1/status");
            return a.status() == 200 ? Optional.of(a.body()) : Optional.empty();
        } catch (UncheckedIOException e) {
            return Optional.empty();
        }
    }

    /** The highest head height among the validators that answer now. */
    long maxHeight() {
        return members.stream().map(this::statusIfUp).flatMap(Optional::stream).mapToLong(s -> s.path("height").asLong())
                .max().orElse(0);
    }

    /**
     * Waits until every validator of {@code of} has a finalized height above {@code height} (and so a head above it).
     * Returns the time it took, in ms.
     */
    long awaitFinalizedPast(Collection<Member> of, long height, Duration timeout) {
        long start = System.nanoTime();
        long end = start + timeout.toNanos();
        Map<String, String> last = new LinkedHashMap<>();
        while (true) {
            boolean all = true;
            for (Member m : of) {
                Optional<JsonNode> s = statusIfUp(m);
                last.put(m.name(), s.map(j -> "height " + j.path("height").asLong() + ", finalized " + j.path("finalizedHeight").asLong())
                        .orElse("no answer"));
                if (s.isEmpty() || s.get().path("finalizedHeight").asLong() <= height) {
                    all = false;
                }
            }
            if (all) {
                return (System.nanoTime() - start) / 1_000_000;
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("not every validator finalized a block above height " + height + " within "
                        + timeout.toSeconds() + " s: " + last + describeAll());
            }
            VerityProcess.sleep(100);
        }
    }

    /** The end of every validator's output, for failure messages. */
    String describeAll() {
        StringBuilder sb = new StringBuilder();
        for (Member m : members) {
            sb.append("\n").append(m).append(":").append(m.process == null ? " not started" : m.process.describe());
        }
        return sb.toString();
    }
}
