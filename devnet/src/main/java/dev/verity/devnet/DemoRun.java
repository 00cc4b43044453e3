package dev.verity.devnet;

import dev.verity.compute.verify.IntegerProgram;
import dev.verity.core.Bytes;
import dev.verity.core.Hash;
import dev.verity.core.Sha256;
import dev.verity.modelhub.hub.PackageRunner;
import dev.verity.modelhub.train.Dataset;
import dev.verity.modelhub.train.Digits;
import dev.verity.proofs.attestation.TeeType;
import dev.verity.protocol.Params;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.governance.GovernanceAction;
import dev.verity.protocol.governance.RevocationTarget;
import dev.verity.sdk.EventQuery;
import dev.verity.sdk.VerityApiException;
import dev.verity.sdk.VerityClient;
import dev.verity.sdk.api.EventView;
import dev.verity.sdk.api.JobView;
import dev.verity.sdk.api.NodeView;
import dev.verity.sdk.api.StatusView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The demo: submits sentence-embedding jobs across NONE and TEE and digit-recognition jobs across NONE,
 * OPTIMISTIC and SAMPLED to a running devnet, waits until each one settles, and sums up what was paid to
 * whom, which cheats were caught and how, from the chain's own events; then shows that the blocks that settled the
 * jobs are final and checks one job's receipt offline ({@link DemoFinality}).
 */
public final class DemoRun {
    static final String[] SENTENCES = {
        "Verity separates computation from verification.",
        "A node runs the job and the chain checks the evidence.",
        "Idle GPUs can earn steady income running models for others.",
        "The cat sits on the mat.",
        "A cat is sitting on a mat.",
        "Stock markets fell sharply today.",
        "Payment settles asynchronously with rules anyone can recompute.",
        "Trusted execution environments attest to the code they run.",
        "Sentence embeddings map text to vectors.",
        "The weather in Lisbon is mild in November.",
        "Every penalty comes with a reason.",
        "Operators see exactly what they earn.",
    };

    /**
     * One job of the demo. {@code engine} is the engine the serving node ran ("onnxruntime" or
     * "integer"); for integer-engine jobs {@code reproduced} says whether re-running the package
     * locally gave the very same output bytes (null for float jobs, where bits may differ by design);
     * {@code answer} is a short reading of the output (the predicted digit).
     */
    public record JobLine(String id, String model, String mode, String engine, String status, String node, long feePaid,
                          long latencyMs, String outputHash, Boolean reproduced, String answer, String payee,
                          String verification) {}

    /** A compute node; {@code cheat} is how it cheats on its provable results (null: honest). */
    public record NodeLine(String id, long stake, long earned, long penalized, long jobsCompleted, List<String> modes,
                           String cheat) {}

    /** What the client paid (fees and audit fees) and where it went. */
    public record Fees(long paid, long toNodes, long toValidators, long toTreasury, long toAuditors) {}

    /**
     * The provable jobs' story: the cheating node (null when the devnet has none) with what it lost and why, every
     * dispute, and every SAMPLED job's audit.
     */
    public record Verification(DemoVerification.CheaterLine cheater, List<DemoVerification.DisputeLine> disputes,
                               List<DemoVerification.AuditLine> audits) {}

    /** The chain at the end: its height, state root and the fee market's base price per 10^15 compute units. */
    public record ChainInfo(long height, String stateRoot, long basePrice) {}

    /** What happened to one job that was in flight on a revoked enclave. */
    public record MovedJob(String id, String from, String to, String status, String node, long feePaid, long refunded,
                           String reason) {}

    /**
     * The revocation scene: governance revokes the development SEV-SNP vendor while TEE jobs wait on
     * its enclaves; {@code moved} lists each of those jobs and where it went.
     */
    public record Revocation(String target, String reason, long height, int enclavesRevoked, List<MovedJob> moved) {}

    /**
     * The finality certificate of a block that settled {@code jobs} of the demo's jobs: its hash, how many validators
     * signed it and the stake they hold of the set's total (final: more than two thirds). {@code blockHash} is null, and
     * the rest 0, when the block was not final when the demo looked.
     */
    public record CertificateLine(long height, String blockHash, int signers, long signedStake, long totalStake, int jobs) {
        /** Signed by validators holding more than two thirds of the stake. */
        public boolean isFinal() {
            return blockHash != null && totalStake > 0 && Math.multiplyExact(3, signedStake) > Math.multiplyExact(2, totalStake);
        }
    }

    /**
     * One job's receipt, fetched from a validator, written to {@code file} and checked offline ({@code ReceiptVerifier})
     * against the genesis validator set kept in {@code trustFile}: {@code valid}, else the failed {@code check} and its
     * {@code reason}; {@code blocks} certified blocks and {@code events} events of the job vouched for.
     */
    public record ReceiptLine(String job, String file, int bytes, String trustFile, long trustedHeight, int trustedValidators,
                              boolean valid, String check, String reason, int blocks, int events) {}

    /** A copy of the receipt with the byte at {@code offset} ({@code where}) flipped, checked the same way. */
    public record AlteredReceipt(String file, int offset, String where, boolean valid, String check, String reason) {}

    /**
     * The finality scene: the validators of the genesis set, the finalized height when the demo looked, the certificates
     * of the blocks that settled the demo's jobs, one job's receipt checked offline, and an altered copy of it.
     */
    public record Finality(int validators, long finalizedHeight, List<CertificateLine> certificates, ReceiptLine receipt,
                           AlteredReceipt altered) {}

    public record Summary(List<JobLine> jobs, List<NodeLine> nodes, Fees fees, Verification verification, ChainInfo chain,
                          Revocation revocation, Finality finality, DemoChat.ChatLine chat) {
        public boolean allSettled() {
            return jobs.stream().allMatch(j -> "SETTLED".equals(j.status()));
        }
    }

    private DemoRun() {}

    /** Digits jobs run on the integer engine, after the sentence-embedding jobs. */
    public static final int DIGIT_JOBS = 2;
    /** Digits jobs in each provable mode, OPTIMISTIC and SAMPLED; they go first, so their games overlap the other jobs. */
    public static final int PROVABLE_JOBS_PER_MODE = 2;

    public static Summary run(Devnet net, int jobCount, Duration timeout) {
        VerityClient client = net.client();
        Map<Hash, Long> submittedAt = new LinkedHashMap<>();
        Map<Hash, byte[]> digitInputs = new LinkedHashMap<>();
        Map<Hash, byte[]> chatInputs = new LinkedHashMap<>();
        Map<Hash, Integer> digitLabels = new LinkedHashMap<>();
        Map<String, Long> settledAt = new ConcurrentHashMap<>();
        var query = EventQuery.forAccount(net.clientWallet().publicKey());
        try (var stream = client.streamEvents(query, ev -> {
            if ("JOB_SETTLED".equals(ev.type()) || "JOB_EXPIRED".equals(ev.type())) {
                settledAt.putIfAbsent(ev.job(), System.nanoTime());
            }
        })) {
            Dataset test = Digits.split().test();
            int digit = 0;
            for (VerificationMode mode : List.of(VerificationMode.OPTIMISTIC, VerificationMode.SAMPLED)) {
                for (int i = 0; i < PROVABLE_JOBS_PER_MODE; i++) {
                    submitDigit(net, mode, test, digit++, submittedAt, digitInputs, digitLabels);
                }
            }
            // One chat job in OPTIMISTIC: the integer engine runs the language model, token by token, under a trace.
            Hash chatJob = DemoChatJobs.submit(net, VerificationMode.OPTIMISTIC, List.of(), 7);
            submittedAt.put(chatJob, System.nanoTime());
            chatInputs.put(chatJob, DemoChatJobs.request(7).encode());
            for (int i = 0; i < jobCount; i++) {
                VerificationMode mode = i % 2 == 0 ? VerificationMode.NONE : VerificationMode.TEE;
                byte[] input = Bytes.utf8(SENTENCES[i % SENTENCES.length]);
                long maxFee = Params.BASE_UNITS_PER_TOKEN; // 1 VRT, far above the price; the rest is refunded
                Hash id = net.clientWallet().submitJob(net.model(), input, mode, List.of(), maxFee, 50);
                submittedAt.put(id, System.nanoTime());
            }
            for (int i = 0; i < DIGIT_JOBS; i++) {
                submitDigit(net, VerificationMode.NONE, test, digit++, submittedAt, digitInputs, digitLabels);
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline && !allFinal(client, submittedAt, settledAt)) {
                sleep(100);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        // The chat question goes before the revocation scene, which unregisters the TEE nodes' enclaves.
        DemoChat.ChatLine chat = DemoChat.scene(net, timeout);
        Revocation revocation = revocationScene(net, timeout);
        return summarize(net, submittedAt, settledAt, digitInputs, chatInputs, digitLabels, revocation, chat, timeout);
    }

    /** Submits test digit {@code index} in {@code mode} and records when, what and which label. */
    private static void submitDigit(Devnet net, VerificationMode mode, Dataset test, int index, Map<Hash, Long> submittedAt,
                                    Map<Hash, byte[]> inputs, Map<Hash, Integer> labels) {
        byte[] input = PackageRunner.encode(test.inputs()[index]);
        Hash id = net.clientWallet().submitJob(net.integerModel(), input, mode, List.of(), Params.BASE_UNITS_PER_TOKEN, 50);
        submittedAt.put(id, System.nanoTime());
        inputs.put(id, input);
        labels.put(id, test.labels()[index]);
    }

    /**
     * TEE jobs in the revocation scene: three sentence jobs may fall back to NONE, one may not (it is cancelled and
     * refunded), and a chat job may fall back to SAMPLED.
     */
    static final int REVOCATION_JOBS_WITH_FALLBACK = 3;

    /**
     * Pauses the enclave nodes so that TEE jobs are in flight on them, revokes the SEV-SNP vendor (as
     * governance would after an attestation-key extraction), and follows each job: moved to NONE and
     * settled by another node, or cancelled with a full refund. Then reinstates the vendor for later
     * registrations (the revoked enclaves stay unregistered).
     */
    static Revocation revocationScene(Devnet net, Duration timeout) {
        VerityClient client = net.client();
        net.pauseTeeNodes();
        List<Hash> jobs = new ArrayList<>();
        try {
            for (int i = 0; i <= REVOCATION_JOBS_WITH_FALLBACK; i++) {
                List<VerificationMode> fallback = i < REVOCATION_JOBS_WITH_FALLBACK ? List.of(VerificationMode.NONE) : List.of();
                jobs.add(net.clientWallet().submitJob(net.model(), Bytes.utf8(SENTENCES[i % SENTENCES.length]),
                        VerificationMode.TEE, fallback, Params.BASE_UNITS_PER_TOKEN, 50));
            }
            // A chat job falls back to SAMPLED: the integer engine generates it, and an auditor may re-run it.
            jobs.add(DemoChatJobs.submit(net, VerificationMode.TEE, List.of(VerificationMode.SAMPLED), 11));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline && !allAssigned(client, jobs)) {
                sleep(100);
            }
            var target = new RevocationTarget.Vendor(TeeType.SEV_SNP);
            String reason = "attestation keys extracted with a memory-bus interposer (demo)";
            var receipt = net.govern(new GovernanceAction.Revoke(target, reason));
            if (receipt.refused()) {
                throw new IllegalStateException("the revocation was refused: " + receipt.code() + ": " + receipt.message());
            }
            net.resumeTeeNodes();
            Map<Hash, Long> none = new LinkedHashMap<>();
            jobs.forEach(j -> none.put(j, 0L));
            Map<String, Long> done = new ConcurrentHashMap<>();
            while (System.nanoTime() < deadline && !allFinal(client, none, done)) {
                sleep(100);
            }
            int revoked = (int) client.events(EventQuery.all().withFromHeight(receipt.height()).withLimit(1000)).stream()
                    .filter(e -> "ENCLAVE_REVOKED".equals(e.type()) && e.height() == receipt.height()).count();
            List<MovedJob> moved = new ArrayList<>();
            for (Hash id : jobs) {
                JobView j = client.job(id);
                String why = "";
                long refunded = 0;
                long fee = 0;
                for (EventView ev : client.events(EventQuery.forJob(id))) {
                    if ("JOB_MOVED".equals(ev.type()) || "JOB_CANCELLED".equals(ev.type())) {
                        why = ev.reason();
                    }
                    if ("CLIENT_REFUNDED".equals(ev.type())) {
                        refunded += ev.amount();
                    }
                    if ("JOB_SETTLED".equals(ev.type()) || "AUDITOR_PAID".equals(ev.type())) {
                        fee += ev.amount(); // what the client paid: the fee, and the audit fee of an audited fallback
                    }
                }
                moved.add(new MovedJob(j.id(), "TEE", j.mode(), j.status(), j.assignedNode(), fee, refunded, why));
            }
            net.govern(new GovernanceAction.Reinstate(target));
            return new Revocation(target.describe(), reason, receipt.height(), revoked, moved);
        } finally {
            net.resumeTeeNodes();
        }
    }

    private static boolean allAssigned(VerityClient client, List<Hash> jobs) {
        for (Hash id : jobs) {
            try {
                if (!"ASSIGNED".equals(client.job(id).status())) {
                    return false;
                }
            } catch (VerityApiException e) {
                if (e.status() == 404) {
                    return false;
                }
                throw e;
            }
        }
        return true;
    }

    private static boolean allFinal(VerityClient client, Map<Hash, Long> submitted, Map<String, Long> settled) {
        for (Hash id : submitted.keySet()) {
            if (!settled.containsKey(id.hex())) {
                // The stream is the fast path; a poll makes sure a missed event cannot hang the demo.
                String status;
                try {
                    status = client.job(id).status();
                } catch (VerityApiException e) {
                    if (e.status() == 404) {
                        return false; // submitted, not yet in a block
                    }
                    throw e;
                }
                if (!"SETTLED".equals(status) && !"EXPIRED".equals(status) && !"CANCELLED".equals(status)) {
                    return false;
                }
                settled.putIfAbsent(id.hex(), System.nanoTime());
            }
        }
        return true;
    }

    private static Summary summarize(Devnet net, Map<Hash, Long> submittedAt, Map<String, Long> settledAt,
                                     Map<Hash, byte[]> digitInputs, Map<Hash, byte[]> chatInputs, Map<Hash, Integer> digitLabels,
                                     Revocation revocation,
                                     DemoChat.ChatLine chat, Duration timeout) {
        VerityClient client = net.client();
        PackageRunner local = digitInputs.isEmpty() ? null : net.integerModelRunner();
        IntegerProgram program = digitInputs.isEmpty() ? null : net.integerProgram();
        List<JobLine> jobs = new ArrayList<>();
        List<DemoVerification.DisputeLine> disputes = new ArrayList<>();
        List<DemoVerification.AuditLine> audits = new ArrayList<>();
        FeeTally tally = new FeeTally();
        Map<String, Long> settledHeights = new LinkedHashMap<>();
        for (Map.Entry<Hash, Long> e : submittedAt.entrySet()) {
            JobView j = client.job(e.getKey());
            List<EventView> events = client.events(EventQuery.forJob(e.getKey()).withLimit(1000));
            long fee = tally.add(events);
            events.stream().filter(ev -> "JOB_SETTLED".equals(ev.type())).findFirst()
                    .ifPresent(ev -> settledHeights.put(j.id(), ev.height()));
            Long end = settledAt.get(j.id());
            long latency = end == null ? -1 : (end - e.getValue()) / 1_000_000;
            String payee = payee(events);
            byte[] chatInput = chatInputs.get(e.getKey());
            if (chatInput != null) {
                // the honest continuation, re-run here on the integer engine; with a cheat, the watcher's settled it
                List<DemoVerification.DisputeLine> games = DemoVerification.disputes(events);
                disputes.addAll(games);
                DemoVerification.AuditLine audit = "SAMPLED".equals(j.mode()) ? DemoVerification.audit(e.getKey(), events) : null;
                if (audit != null) {
                    audits.add(audit);
                }
                byte[] settledOutput = j.output() == null ? null : java.util.Base64.getDecoder().decode(j.output());
                jobs.add(new JobLine(j.id(), dev.verity.compute.model.BundledModels.CHAT_NAME, j.mode(), "integer", j.status(),
                        j.assignedNode(), fee, latency, j.outputHash(), DemoChatJobs.reproduced(net, e.getKey(), chatInput,
                        j.outputHash()), DemoChatJobs.answer(settledOutput), payee, verification(j.mode(), games, audit, events)));
                continue;
            }
            byte[] digit = digitInputs.get(e.getKey());
            if (digit == null) {
                jobs.add(new JobLine(j.id(), "all-MiniLM-L6-v2", j.mode(), "onnxruntime", j.status(), j.assignedNode(), fee, latency,
                        j.outputHash(), null, null, payee, null));
                continue;
            }
            boolean provable = "OPTIMISTIC".equals(j.mode()) || "SAMPLED".equals(j.mode());
            // Re-run the integer engine here: an honest node's output must be the very same bytes. A provable job's
            // output is the protocol's trace output (the one a dispute executes).
            byte[] mine = provable ? program.trace(digit).output() : local.runInteger(digit);
            Boolean same = j.outputHash() == null ? null : Sha256.digest(mine).hex().equals(j.outputHash());
            byte[] settledOutput = j.output() == null ? mine : java.util.Base64.getDecoder().decode(j.output());
            String answer = "predicted " + argmax(settledOutput) + ", label " + digitLabels.get(e.getKey());
            List<DemoVerification.DisputeLine> games = DemoVerification.disputes(events);
            disputes.addAll(games);
            DemoVerification.AuditLine audit = "SAMPLED".equals(j.mode()) ? DemoVerification.audit(e.getKey(), events) : null;
            if (audit != null) {
                audits.add(audit);
            }
            jobs.add(new JobLine(j.id(), DigitsPackage.NAME, j.mode(), "integer", j.status(), j.assignedNode(), fee, latency,
                    j.outputHash(), same, answer, payee, provable ? verification(j.mode(), games, audit, events) : null));
        }
        // The revocation scene's jobs pay too (those that settled under their fallback mode).
        for (MovedJob m : revocation.moved()) {
            tally.add(client.events(EventQuery.forJob(Hash.fromHex(m.id()))));
        }
        // And the chat job.
        if (chat != null && chat.job() != null) {
            tally.add(client.events(EventQuery.forJob(Hash.fromHex(chat.job()))));
        }
        List<NodeLine> nodes = new ArrayList<>();
        for (Devnet.ComputeNode n : net.nodes()) {
            NodeView v = client.node(n.key().publicKey());
            nodes.add(new NodeLine(v.id(), v.stake(), v.earned(), v.penalized(), v.jobsCompleted(), v.modes(),
                    n.cheat() == null ? null : n.cheat().name()));
        }
        DemoVerification.CheaterLine cheater = net.cheatingNode().map(n -> DemoVerification.cheater(client, n)).orElse(null);
        StatusView status = client.status();
        // The receipt of the first job that settled: with a cheat, an OPTIMISTIC job and its whole dispute.
        String receiptJob = settledHeights.isEmpty() ? null : settledHeights.keySet().iterator().next();
        Finality finality = DemoFinality.scene(net, settledHeights, receiptJob, timeout);
        return new Summary(jobs, nodes, new Fees(tally.paid, tally.toNodes, tally.toValidators, tally.toTreasury, tally.toAuditors),
                new Verification(cheater, disputes, audits), new ChainInfo(status.height(), status.stateRoot(), status.basePrice()), revocation,
                finality, chat);
    }

    /** The node the job's fee went to (the winner of a dispute over its result, or the node that answered). */
    private static String payee(List<EventView> events) {
        return events.stream().filter(ev -> "JOB_SETTLED".equals(ev.type())).map(EventView::node).findFirst().orElse(null);
    }

    /** How a provable job's result was verified, in a few words. */
    private static String verification(String mode, List<DemoVerification.DisputeLine> games, DemoVerification.AuditLine audit,
                                       List<EventView> events) {
        if (!games.isEmpty()) {
            DemoVerification.DisputeLine g = games.get(games.size() - 1);
            return (g.kind().equals("AUDIT") ? "audit disputed" : "challenged") + ": " + g.outcome()
                    + (g.traceIndex() >= 0 ? " at trace index " + g.traceIndex() : "");
        }
        if (audit != null) {
            return audit.auditor() == null ? audit.outcome() : "audited: " + audit.outcome();
        }
        boolean closed = events.stream().anyMatch(ev -> "RESULT_PENDING".equals(ev.type()) && ev.reason().startsWith("challenge window closed"));
        return "OPTIMISTIC".equals(mode) && closed ? "unchallenged: the challenge window closed" : "pending";
    }

    /** Fees paid and how they were split, summed from the chain's events of each job. */
    private static final class FeeTally {
        long paid;
        long toNodes;
        long toValidators;
        long toTreasury;
        long toAuditors;

        /** Adds one job's payments; returns what the client paid for it (fee and audit fee; 0 if it did not settle). */
        long add(List<EventView> events) {
            long fee = 0;
            for (EventView ev : events) {
                switch (ev.type()) {
                    case "JOB_SETTLED" -> fee += ev.amount();
                    case "NODE_PAID" -> toNodes += ev.amount();
                    case "VALIDATOR_PAID" -> toValidators += ev.amount();
                    case "TREASURY_PAID" -> toTreasury += ev.amount();
                    case "AUDITOR_PAID" -> {
                        toAuditors += ev.amount();
                        fee += ev.amount();
                    }
                    default -> { }
                }
            }
            paid += fee;
            return fee;
        }
    }

    private static int argmax(byte[] floatsLittleEndian) {
        var fb = java.nio.ByteBuffer.wrap(floatsLittleEndian).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        int best = 0;
        for (int i = 1; i < fb.limit(); i++) {
            if (fb.get(i) > fb.get(best)) {
                best = i;
            }
        }
        return best;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for jobs to settle");
        }
    }
}
