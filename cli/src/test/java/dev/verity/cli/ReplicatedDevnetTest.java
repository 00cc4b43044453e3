package dev.verity.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verity.core.Bytes;
import dev.verity.core.Hash;
import dev.verity.devnet.Devnet;
import dev.verity.protocol.Params;
import dev.verity.protocol.VerificationMode;
import dev.verity.receipt.ReceiptVerification;
import dev.verity.receipt.ReceiptVerifier;
import dev.verity.receipt.TrustedValidators;
import dev.verity.sdk.EventQuery;
import dev.verity.sdk.VerityClient;
import dev.verity.sdk.api.EventView;
import dev.verity.sdk.api.JobView;
import dev.verity.sdk.api.ValidatorsView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A devnet of three validators, each a {@code verity validator} process replicating the chain over Apache Ratis, and a
 * compute node: a job settles, every validator's API finalizes past it with the same block, and the job's receipt holds
 * offline against the genesis set.
 */
class ReplicatedDevnetTest {
    @TempDir
    Path dir;

    @Test
    void threeValidatorsFinalizeTheSameBlocksAndAJobsReceiptHoldsOffline() throws Exception {
        Path net1 = dir.resolve("devnet");
        List<ProcessHandle> started;
        try (Devnet net = Devnet.start(new Devnet.Options(net1, 0, 200, 1).withLauncher(VerityCli.programLauncher())
                .withValidators(3))) {
            assertThat(net.validators()).isEqualTo(3);
            assertThat(net.apiUrls()).hasSize(3).doesNotHaveDuplicates().startsWith(net.apiUrl());
            started = ProcessHandle.current().children().toList();
            assertThat(started).as("three validators, a compute node and the chat gateway").hasSize(5);
            for (String log : List.of("validator", "validator-2", "validator-3")) {
                assertThat(Files.readString(net1.resolve("logs/" + log + ".log"))).contains("VERITY-NODE READY");
            }
            assertThat(net1.resolve("keys/validator-3.json")).isRegularFile();
            assertThat(net1.resolve("chain-3")).isDirectory();
            Path cmdline = Path.of("/proc", Long.toString(net.nodes().get(0).process().pid()), "cmdline");
            if (Files.isReadable(cmdline)) {
                assertThat(List.of(Files.readString(cmdline).split("\u0000"))).as("the node is given every validator")
                        .containsSubsequence("--api", String.join(",", net.apiUrls()));
            }

            List<VerityClient> apis = new ArrayList<>();
            for (String url : net.apiUrls()) {
                apis.add(new VerityClient(url));
            }
            try {
                ValidatorsView genesisSet = apis.get(0).validators(0);
                assertThat(genesisSet.validators()).as("the genesis set: every validator with its addresses")
                        .extracting(ValidatorsView.Member::apiUrl).containsExactlyInAnyOrderElementsOf(net.apiUrls());
                assertThat(genesisSet.validators()).allSatisfy(m -> assertThat(m.peerAddress()).matches("127\\.0\\.0\\.1:\\d+"));
                long[] before = new long[3];
                for (int i = 0; i < 3; i++) {
                    before[i] = apis.get(i).status().finalizedHeight();
                }

                Hash job = net.clientWallet().submitJob(net.model(), Bytes.utf8("Three validators sign every block."),
                        VerificationMode.NONE, List.of(), Params.BASE_UNITS_PER_TOKEN, 50);
                JobView settled = awaitFinal(net, job);
                assertThat(settled.status()).isEqualTo("SETTLED");
                long settledAt = net.client().events(EventQuery.forJob(job)).stream()
                        .filter(e -> "JOB_SETTLED".equals(e.type())).mapToLong(EventView::height).findFirst().orElseThrow();

                Set<String> hashes = new HashSet<>();
                for (int i = 0; i < 3; i++) {
                    long finalized = awaitFinalized(apis.get(i), settledAt);
                    assertThat(finalized).as("validator %d finalized past the settling block", i + 1)
                            .isGreaterThanOrEqualTo(settledAt).isGreaterThan(before[i]);
                    hashes.add(apis.get(i).block(settledAt).hash());
                }
                assertThat(hashes).as("one block at the finalized height %d on every validator", settledAt).hasSize(1);

                TrustedValidators trusted = genesisSet.toTrusted();
                byte[] receipt = apis.get(2).jobReceiptBytes(job);
                ReceiptVerification v = ReceiptVerifier.verify(receipt, trusted);
                assertThat(v.valid()).as("%s", v).isTrue();
                assertThat(v.blocks()).isNotEmpty().allSatisfy(b -> {
                    assertThat(b.signers()).as("equal stakes: all three sign (more than 2/3)").hasSize(3);
                    assertThat(3 * b.signedStake()).isGreaterThan(2 * b.totalStake());
                });
                assertThat(v.blocks()).anySatisfy(b -> assertThat(b.height()).isEqualTo(settledAt));
                byte[] altered = receipt.clone();
                altered[altered.length / 2] ^= 1;
                assertThat(ReceiptVerifier.verify(altered, trusted).valid()).isFalse();
            } finally {
                apis.forEach(VerityClient::close);
            }
        }
        assertThat(started).as("closing the devnet stops every process it started")
                .allSatisfy(p -> assertThat(p.isAlive()).isFalse());

        assertThatThrownBy(() -> Devnet.start(new Devnet.Options(net1, 0, 200, 1).withLauncher(VerityCli.programLauncher())))
                .as("a devnet restarts with the validators its genesis lists")
                .hasMessageContaining("set up with 3 validators").hasMessageContaining("--validators 3");
    }

    @Test
    void anInProcessDevnetHasOneValidatorAndTheCommandsCheckTheCount() {
        CliRun.Result demo = CliRun.run("demo", "--validators", "0");
        assertThat(demo.exitCode()).as("%s", demo).isEqualTo(2);
        assertThat(demo.err()).contains("--validators must be 1 to " + Devnet.Options.MAX_VALIDATORS);
        CliRun.Result devnet = CliRun.run("devnet", "--validators", "8", "--data-dir", dir.resolve("unused").toString());
        assertThat(devnet.exitCode()).as("%s", devnet).isEqualTo(2);
        assertThat(devnet.err()).contains("--validators must be 1 to " + Devnet.Options.MAX_VALIDATORS);
        CliRun.Result ports = CliRun.run("devnet", "--validators", "3", "--port", "65534", "--data-dir",
                dir.resolve("unused").toString());
        assertThat(ports.exitCode()).as("%s", ports).isEqualTo(2);
        assertThat(ports.err()).contains("leaves no room for the APIs of 3 validators");
        assertThat(dir.resolve("unused")).as("nothing started").doesNotExist();

        assertThatThrownBy(() -> Devnet.start(new Devnet.Options(dir, 0, 100, 1).withValidators(3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("in-process devnet has one validator");
        assertThatThrownBy(() -> new Devnet.Options(dir, 0, 100, 1).withValidators(0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static JobView awaitFinal(Devnet net, Hash id) throws InterruptedException {
        VerityClient client = net.client();
        assertThat(net.awaitIncluded(id, Duration.ofSeconds(30)).status()).isEqualTo("INCLUDED");
        long end = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        JobView v = client.job(id);
        while (!JobCommand.FINAL_STATUSES.contains(v.status()) && System.nanoTime() < end) {
            Thread.sleep(100);
            v = client.job(id);
        }
        return v;
    }

    private static long awaitFinalized(VerityClient client, long height) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        long f = client.status().finalizedHeight();
        while (f < height && System.nanoTime() < end) {
            Thread.sleep(100);
            f = client.status().finalizedHeight();
        }
        return f;
    }
}
