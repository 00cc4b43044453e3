package dev.verity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.core.Bytes;
import dev.verity.core.Hash;
import dev.verity.devnet.Devnet;
import dev.verity.protocol.Params;
import dev.verity.protocol.VerificationMode;
import dev.verity.sdk.VerityClient;
import dev.verity.sdk.api.JobView;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The devnet is the programs an operator runs: a {@code verity validator} process and a {@code verity node run} process
 * per compute node, over HTTP on loopback. Jobs settle in every mode, each node in its own process, and closing the
 * devnet stops every process it started.
 */
class DevnetProgramsTest {
    @TempDir
    Path dir;

    @Test
    void theValidatorAndEachComputeNodeAreSeparateProcessesAndJobsSettleInEveryMode() throws Exception {
        List<ProcessHandle> started;
        try (Devnet net = Devnet.start(new Devnet.Options(dir, 0, 100, 4).withLauncher(VerityCli.programLauncher()))) {
            assertThat(net.processes()).isTrue();
            assertThat(net.chain()).as("no chain in this process").isNull();
            started = ProcessHandle.current().children().toList();
            assertThat(started).as("a validator, four compute nodes and the chat gateway").hasSize(6);
            assertThat(net.nodes()).allSatisfy(n -> assertThat(n.process().isAlive()).isTrue());
            assertThat(Files.readString(dir.resolve("logs/validator.log"))).contains("VERITY-NODE READY");
            assertThat(dir.resolve("nodes/node-1/models")).as("each node pulled its models into its own store")
                    .isDirectoryContaining(p -> p.getFileName().toString().startsWith(net.model().hex()));

            VerityClient client = net.client();
            Map<String, Hash> jobs = new TreeMap<>();
            jobs.put("NONE", net.clientWallet().submitJob(net.model(), Bytes.utf8("one"), VerificationMode.NONE, List.of(),
                    Params.BASE_UNITS_PER_TOKEN, 50));
            jobs.put("TEE", net.clientWallet().submitJob(net.model(), Bytes.utf8("two"), VerificationMode.TEE, List.of(),
                    Params.BASE_UNITS_PER_TOKEN, 50));
            jobs.put("OPTIMISTIC", net.clientWallet().submitJob(net.integerModel(), digit(), VerificationMode.OPTIMISTIC,
                    List.of(), Params.BASE_UNITS_PER_TOKEN, 50));
            jobs.put("SAMPLED", net.clientWallet().submitJob(net.integerModel(), digit(), VerificationMode.SAMPLED, List.of(),
                    Params.BASE_UNITS_PER_TOKEN, 50));
            for (Map.Entry<String, Hash> e : jobs.entrySet()) {
                JobView v = awaitFinal(client, e.getValue());
                assertThat(v.status()).as("%s job", e.getKey()).isEqualTo("SETTLED");
                assertThat(v.mode()).isEqualTo(e.getKey());
            }
        }
        assertThat(started).as("closing the devnet stops every process it started")
                .allSatisfy(p -> assertThat(p.isAlive()).isFalse());
    }

    private static byte[] digit() {
        ByteBuffer b = ByteBuffer.allocate(64 * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 64; i++) {
            b.putFloat((i % 7) / 7f);
        }
        return b.array();
    }

    private static JobView awaitFinal(VerityClient client, Hash id) throws InterruptedException {
        assertThat(client.awaitReceipt(id, Duration.ofSeconds(30)).status()).as("the job's submission is in a block")
                .isEqualTo("INCLUDED");
        long end = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        JobView v = client.job(id);
        while (!JobCommand.FINAL_STATUSES.contains(v.status()) && System.nanoTime() < end) {
            Thread.sleep(100);
            v = client.job(id);
        }
        return v;
    }
}
