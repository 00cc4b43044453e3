package dev.verity.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.compute.worker.AnswerJournal;
import dev.verity.core.Bytes;
import dev.verity.core.Hash;
import dev.verity.core.Sha256;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.tx.Payload;
import dev.verity.sdk.EventQuery;
import dev.verity.sdk.VerityApiException;
import dev.verity.sdk.Wallet;
import dev.verity.sdk.api.EventView;
import dev.verity.sdk.api.JobView;
import dev.verity.sdk.api.NodeView;
import dev.verity.service.model.ModelStore;
import dev.verity.testkit.TestGenesis;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * One compute node of the release, the only one serving the sentence model, against a validator of the release: what
 * it does after a crash, and after its model file was damaged on disk.
 */
class ComputeNodeRecoverySystemTest {
    @RegisterExtension
    static final Processes processes = new Processes();

    @TempDir
    static Path dir;

    static Network net;
    static String model;
    static Network.ComputeNode carol;
    static Wallet client;

    @BeforeAll
    static void startAValidatorAndRegisterOneNode() {
        net = Network.create(processes, dir, Network.params(), "carol");
        model = net.installSentenceModel();
        net.startValidator();
        net.registerSentenceModel(model);
        carol = net.computeNode("carol");
        net.register(carol, List.of(model), "NONE", 2);
        client = new Wallet(net.sdk(), net.client().key());
    }

    /**
     * The node computes a job, journals its answer and sends it, and the send never reaches the validator (a proxy
     * holds it); the node is then killed with SIGKILL. Restarted on the same state directory it sends the journaled
     * answer, and every job settles exactly once, to it, without a reassignment or a penalty.
     */
    @Test
    void aNodeKilledBetweenJournalingAnAnswerAndTheChainHavingItSendsItOnceAfterItsRestart() throws Exception {
        List<Hash> jobs = new ArrayList<>();
        try (HoldingProxy proxy = new HoldingProxy(net.api())) {
            VerityProcess first = Network.awaitRunning(net.launchNode(carol, proxy.url()));
            for (int i = 0; i < 3; i++) {
                // Deadlines far enough for a restart: a missed one would reassign the job and penalize the node.
                jobs.add(client.submitJob(Hash.fromHex(model), Bytes.utf8("an answer that survives a crash, " + i),
                        VerificationMode.NONE, List.of(), TestGenesis.VRT, 600));
            }
            long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (proxy.held().isEmpty()) {
                assertThat(System.nanoTime()).as("the node sends an answer within 60 s: %s", first.describe()).isLessThan(end);
                assertThat(first.isAlive()).as("the node runs: %s", first.describe()).isTrue();
                VerityProcess.sleep(10);
            }
            assertThat(journalFiles()).as("the answer is journaled before it is sent").isNotEmpty();

            assertThat(first.kill()).as("killed by SIGKILL").isEqualTo(128 + 9);
        }
        List<AnswerJournal.Entry> entries = new AnswerJournal(carol.journal()).entries();
        assertThat(entries).as("the answer journaled when the node was killed").hasSize(1);
        AnswerJournal.Entry journaled = entries.get(0);
        assertThat(jobs).contains(journaled.jobId());
        assertThat(receiptStatus(journaled.transaction().hash())).as("the validator never received it").isEqualTo("UNKNOWN");
        byte[] journaledOutput = ((Payload.SubmitResult) journaled.transaction().payload()).output();

        VerityProcess second = net.startNode(carol);

        for (Hash job : jobs) {
            JobView v = net.awaitFinal(job, Duration.ofSeconds(90));
            assertThat(v.status()).as("job %s", job.hex()).isEqualTo("SETTLED");
            assertThat(v.assignedNode()).as("settled to the node it was assigned").isEqualTo(carol.id());
            assertThat(v.reassignments()).as("never taken from the node").isZero();
            List<String> types = net.sdk().events(EventQuery.forJob(job).withLimit(1000)).stream().map(EventView::type).toList();
            assertThat(types.stream().filter("RESULT_POSTED"::equals)).as("one result posted: %s", types).hasSize(1);
            assertThat(types.stream().filter("JOB_SETTLED"::equals)).as("settled once: %s", types).hasSize(1);
            assertThat(types).doesNotContain("DEADLINE_MISSED", "NODE_PENALIZED", "JOB_REQUEUED");
        }
        JobView resent = net.sdk().job(journaled.jobId());
        assertThat(resent.outputHash()).as("the settled answer is the journaled one")
                .isEqualTo(Sha256.digest(journaledOutput).hex());
        second.awaitStderr("job " + journaled.jobId().hex() + ": sending again the answer journaled before the restart",
                Duration.ofSeconds(10));
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!journalFiles().isEmpty() && System.nanoTime() < end) {
            VerityProcess.sleep(50);
        }
        assertThat(journalFiles()).as("the journal forgets answers the chain has").isEmpty();
        NodeView node = net.sdk().node(dev.verity.core.PublicKey.fromHex(carol.id()));
        assertThat(node.penalized()).isZero();
        assertThat(node.missedDeadlines()).isZero();
    }

    /**
     * The model file in the node's store is damaged (bytes overwritten) while the node is stopped: at its next start it
     * refuses the file, pulls it again from the validator, and serves.
     */
    @Test
    void aDamagedModelFileIsRefusedAtStartPulledAgainFromTheValidatorAndTheNodeServes() throws Exception {
        Path file = carol.store().resolve(model + ModelStore.MODEL_SUFFIX);
        if (!Files.exists(file)) { // not yet pulled by an earlier start: the operator copied it in
            Files.createDirectories(carol.store());
            Files.copy(net.validatorModels().path(model), file);
        }
        assertThat(ModelStore.sha256(file)).as("the store holds the model").isEqualTo(model);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            byte[] garbage = new byte[4096];
            Arrays.fill(garbage, (byte) 0x5a);
            f.seek(f.length() / 2);
            f.write(garbage);
        }
        assertThat(ModelStore.sha256(file)).as("damaged").isNotEqualTo(model);

        VerityProcess node = net.startNode(carol);

        assertThat(node.stderr()).as("the node says it refused the damaged file and pulled it again")
                .contains("model " + model + " failed its integrity check", "pulling the model again");
        assertThat(ModelStore.sha256(file)).as("the store holds the model intact again").isEqualTo(model);
        Hash job = client.submitJob(Hash.fromHex(model), Bytes.utf8("served after a repair"), VerificationMode.NONE, List.of(),
                TestGenesis.VRT, 200);
        JobView v = net.awaitFinal(job, Duration.ofSeconds(60));
        assertThat(v.status()).isEqualTo("SETTLED");
        assertThat(v.assignedNode()).isEqualTo(carol.id());
    }

    private static List<Path> journalFiles() throws Exception {
        if (!Files.isDirectory(carol.journal())) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(carol.journal())) {
            return s.filter(p -> p.getFileName().toString().endsWith(".answer")).toList();
        }
    }

    private static String receiptStatus(Hash tx) {
        try {
            return net.sdk().receipt(tx).status();
        } catch (VerityApiException e) {
            if (e.status() == 404) {
                return "UNKNOWN";
            }
            throw e;
        }
    }
}
