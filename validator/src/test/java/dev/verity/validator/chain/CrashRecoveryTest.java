package dev.verity.validator.chain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.core.Bytes;
import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.core.Sha256;
import dev.verity.ledger.Genesis;
import dev.verity.protocol.Params;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.governance.Council;
import dev.verity.sdk.KeyFiles;
import dev.verity.sdk.VerityApiException;
import dev.verity.sdk.VerityClient;
import dev.verity.sdk.Wallet;
import dev.verity.sdk.api.BlockView;
import dev.verity.sdk.api.StatusView;
import dev.verity.testkit.TestGenesis;
import dev.verity.validator.ValidatorProcess;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a validator process with SIGKILL while a client keeps submitting jobs, restarts it on the
 * same data directory, and checks that no acknowledged transaction and no block was lost and that
 * the stored state equals a replay from genesis.
 */
class CrashRecoveryTest {
    private static final String CHAIN = "verity-crash-test";

    @TempDir
    Path dir;

    @Test
    void killNineUnderLoadLosesNothingAcknowledged() throws Exception {
        Path genesisFile = writeGenesis();
        Path keyFile = writeKey();
        Path data = dir.resolve("data");

        Process first = start(data, keyFile, genesisFile);
        List<Hash> acknowledged = new CopyOnWriteArrayList<>();
        List<BlockView> seenBlocks = new ArrayList<>();
        try {
            VerityClient api = new VerityClient("http://127.0.0.1:" + port(first));
            Wallet wallet = new Wallet(api, CLIENT);
            Hash model = Sha256.digest(Bytes.utf8("crash test model"));
            Hash registration = wallet.registerModel(model, "crash-model", "bytes", "bytes", 1_000);
            assertThat(api.awaitReceipt(registration, Duration.ofSeconds(20)).status()).isEqualTo("INCLUDED");

            AtomicBoolean running = new AtomicBoolean(true);
            CompletableFuture<Void> load = CompletableFuture.runAsync(() -> {
                int i = 0;
                while (running.get()) {
                    try {
                        acknowledged.add(wallet.submitJob(model, Bytes.utf8("job " + i++), VerificationMode.NONE, List.of(),
                                Params.BASE_UNITS_PER_TOKEN, 10));
                    } catch (VerityApiException e) {
                        return; // the node is gone: this submission was not acknowledged
                    }
                }
            });
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2500);
            while (System.nanoTime() < until) {
                StatusView s = api.status();
                if (s.height() > 0) {
                    seenBlocks.add(api.block(s.height()));
                }
                Thread.sleep(200);
            }
            first.destroyForcibly(); // SIGKILL: no shutdown hook runs
            first.waitFor(10, TimeUnit.SECONDS);
            running.set(false);
            load.get(10, TimeUnit.SECONDS);
        } finally {
            first.destroyForcibly();
        }
        assertThat(acknowledged).as("jobs acknowledged before the crash").hasSizeGreaterThan(20);
        assertThat(seenBlocks).isNotEmpty();

        Process second = start(data, keyFile, null);
        try {
            VerityClient api = new VerityClient("http://127.0.0.1:" + port(second));
            for (BlockView b : seenBlocks) {
                assertThat(api.block(b.height()).hash()).as("block %d after restart", b.height()).isEqualTo(b.hash());
            }
            for (Hash h : acknowledged) {
                assertThat(api.awaitReceipt(h, Duration.ofSeconds(30)).status()).as("acknowledged tx %s", h).isEqualTo("INCLUDED");
            }
        } finally {
            second.destroy(); // SIGTERM: a clean shutdown this time
            second.waitFor(20, TimeUnit.SECONDS);
            second.destroyForcibly();
        }

        ChainVerifier.Report report = ChainVerifier.verify(data);
        assertThat(report.problem()).isNull();
        assertThat(report.stateRoot()).isEqualTo(report.storedStateRoot());
        assertThat(report.transactions()).isGreaterThanOrEqualTo(acknowledged.size() + 1L);
    }

    /**
     * The same on a pruned validator: after the restart it keeps its window (the kept blocks verify, the state is the
     * head's), every acknowledged transaction is included or lies in pruned history, and it refuses to start as an archive.
     */
    @Test
    void killNineUnderLoadOnAPrunedValidatorKeepsItsWindow() throws Exception {
        Path genesisFile = writeGenesis();
        Path keyFile = writeKey();
        Path data = dir.resolve("data");
        String[] pruned = {"--retain-blocks", "10"};

        Process first = start(data, keyFile, genesisFile, pruned);
        List<Hash> acknowledged = new CopyOnWriteArrayList<>();
        try {
            VerityClient api = new VerityClient("http://127.0.0.1:" + port(first));
            Wallet wallet = new Wallet(api, CLIENT);
            AtomicBoolean running = new AtomicBoolean(true);
            CompletableFuture<Void> load = CompletableFuture.runAsync(() -> {
                while (running.get()) {
                    try {
                        acknowledged.add(wallet.transfer(VALIDATOR.publicKey(), 1));
                    } catch (VerityApiException e) {
                        return; // the node is gone: this submission was not acknowledged
                    }
                }
            });
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < until && (api.status().lowestHeight() < 5 || acknowledged.size() < 30)) {
                Thread.sleep(100);
            }
            first.destroyForcibly();
            first.waitFor(10, TimeUnit.SECONDS);
            running.set(false);
            load.get(10, TimeUnit.SECONDS);
        } finally {
            first.destroyForcibly();
        }
        assertThat(acknowledged).hasSizeGreaterThan(20);

        Process second = start(data, keyFile, null, pruned);
        try {
            VerityClient api = new VerityClient("http://127.0.0.1:" + port(second));
            Hash last = acknowledged.get(acknowledged.size() - 1);
            assertThat(api.awaitReceipt(last, Duration.ofSeconds(30)).status()).isEqualTo("INCLUDED");
            StatusView s = api.status();
            assertThat(s.history()).isEqualTo("pruned");
            assertThat(s.lowestHeight()).isEqualTo(s.height() - 10 + 1);
            for (Hash h : acknowledged) {
                try {
                    assertThat(api.receipt(h).status()).as("acknowledged tx %s", h).isEqualTo("INCLUDED");
                } catch (VerityApiException e) {
                    assertThat(e.code()).as("acknowledged tx %s", h).isEqualTo("PRUNED");
                }
            }
        } finally {
            second.destroy();
            second.waitFor(20, TimeUnit.SECONDS);
            second.destroyForcibly();
        }

        ChainVerifier.Report report = ChainVerifier.verify(data);
        assertThat(report.problem()).isNull();
        assertThat(report.replayed()).isFalse();
        assertThat(report.blocks()).isEqualTo(10);

        Process archive = start(data, keyFile, null);
        String output = new String(archive.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(archive.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(archive.exitValue()).isEqualTo(ValidatorProcess.EXIT_CANNOT_START);
        assertThat(output).contains("holds a pruned chain", "--retain-blocks");
    }

    private static final PrivateKey VALIDATOR = PrivateKey.deterministic("crash-validator");
    private static final PrivateKey CLIENT = PrivateKey.deterministic("crash-client");

    private Path writeGenesis() throws Exception {
        Genesis genesis = TestGenesis.chain(CHAIN).at(1_700_000_000_000L).fund(CLIENT, 1_000_000 * TestGenesis.VRT)
                .validator(VALIDATOR).build();
        Path file = dir.resolve("genesis.bin");
        Files.write(file, genesis.encode());
        return file;
    }

    private Path writeKey() throws Exception {
        Path file = dir.resolve("validator.json");
        KeyFiles.save(file, VALIDATOR);
        return file;
    }

    private Process start(Path data, Path key, Path genesis, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                ValidatorProcess.class.getName(), "--data-dir", data.toString(), "--key", key.toString(), "--port", "0",
                "--block-interval", "50"));
        if (genesis != null) {
            cmd.addAll(List.of("--genesis", genesis.toString()));
        }
        cmd.addAll(List.of(extra));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    /** Reads the child's output until it reports its port; keeps draining it afterwards. */
    private static int port(Process p) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            StringBuilder log = new StringBuilder();
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith(ValidatorProcess.READY)) {
                        port.complete(Integer.parseInt(line.substring(ValidatorProcess.READY.length()).trim()));
                    } else if (!port.isDone()) {
                        log.append(line).append('\n');
                    }
                }
            } catch (Exception ignored) {
                // the process was killed
            }
            port.completeExceptionally(new IllegalStateException("validator exited before it was ready:\n" + log));
        }, "child-output");
        reader.setDaemon(true);
        reader.start();
        return port.get(60, TimeUnit.SECONDS);
    }
}
