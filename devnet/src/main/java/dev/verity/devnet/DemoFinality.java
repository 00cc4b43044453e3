package dev.verity.devnet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verity.core.DecodingException;
import dev.verity.core.Hash;
import dev.verity.ledger.event.EventType;
import dev.verity.receipt.CertifiedBlock;
import dev.verity.receipt.JobReceipt;
import dev.verity.receipt.ReceiptEvent;
import dev.verity.receipt.ReceiptVerification;
import dev.verity.receipt.ReceiptVerifier;
import dev.verity.receipt.TrustedValidators;
import dev.verity.sdk.VerityApiException;
import dev.verity.sdk.VerityClient;
import dev.verity.sdk.receipt.TrustFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The demo's finality scene: the finality certificates of the blocks that settled its jobs (who signed, and how much
 * of the stake), then one job's receipt fetched, written to the demo's directory and checked offline against the
 * genesis validator set, and a copy with one byte flipped, refused.
 */
public final class DemoFinality {
    private DemoFinality() {}

    /** Where the scene writes the receipt, its altered copy and the trust file: {@code DIR/receipts}. */
    public static final String RECEIPTS_DIR = "receipts";

    /**
     * @param settledAt for each settled job (hex id, in submission order), the height of the block that settled it
     * @param receiptJob the job whose receipt is fetched and checked
     */
    static DemoRun.Finality scene(Devnet net, Map<String, Long> settledAt, String receiptJob, Duration timeout) {
        VerityClient client = net.client();
        long highest = settledAt.values().stream().mapToLong(Long::longValue).max().orElse(0);
        long finalized = awaitFinalized(client, highest, timeout);
        Map<Long, Integer> jobsPerBlock = new TreeMap<>();
        settledAt.values().forEach(h -> jobsPerBlock.merge(h, 1, Integer::sum));
        List<DemoRun.CertificateLine> certificates = new ArrayList<>();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        for (Map.Entry<Long, Integer> e : jobsPerBlock.entrySet()) {
            certificates.add(certificate(http, client, e.getKey(), e.getValue()));
        }
        DemoRun.ReceiptLine receipt = null;
        DemoRun.AlteredReceipt altered = null;
        TrustedValidators genesisSet = client.validators(0).toTrusted();
        if (receiptJob != null) {
            Path dir = net.dir().resolve(RECEIPTS_DIR);
            Path file = dir.resolve(receiptJob + ".receipt");
            Path alteredFile = dir.resolve(receiptJob + "-altered.receipt");
            Path trustFile = dir.resolve("trust.json");
            byte[] bytes = client.jobReceiptBytes(Hash.fromHex(receiptJob));
            try {
                Files.createDirectories(dir);
                Files.write(file, bytes);
                TrustFile.write(trustFile, genesisSet);
                // Offline from here: the file and the trust file, nothing from a node.
                byte[] kept = Files.readAllBytes(file);
                TrustedValidators trusted = TrustFile.read(trustFile);
                ReceiptVerification v = ReceiptVerifier.verify(kept, trusted);
                receipt = new DemoRun.ReceiptLine(receiptJob, file.toString(), kept.length, trustFile.toString(),
                        trusted.fromHeight(), trusted.set().members().size(), v.valid(), v.valid() ? null : v.failed().name(),
                        v.reason(), v.blocks().size(), v.events().size());
                Flip flip = flip(kept);
                byte[] changed = kept.clone();
                changed[flip.offset()] ^= 0x01;
                Files.write(alteredFile, changed);
                ReceiptVerification refused = ReceiptVerifier.verify(Files.readAllBytes(alteredFile), trusted);
                altered = new DemoRun.AlteredReceipt(alteredFile.toString(), flip.offset(), flip.where(), refused.valid(),
                        refused.valid() ? null : refused.failed().name(), refused.reason());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the demo's receipt under " + dir + ": " + e.getMessage(), e);
            }
        }
        return new DemoRun.Finality(genesisSet.set().members().size(), finalized, certificates, receipt, altered);
    }

    /** Waits until the validator in use has finalized {@code height}; returns its finalized height. */
    private static long awaitFinalized(VerityClient client, long height, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        long finalized = client.status().finalizedHeight();
        while (finalized < height && System.nanoTime() < end) {
            sleep(100);
            finalized = client.status().finalizedHeight();
        }
        return finalized;
    }

    /** The certificate of block {@code height} ({@code GET /v1/blocks/{height}/certificate}), or one of no signers. */
    private static DemoRun.CertificateLine certificate(HttpClient http, VerityClient client, long height, int jobs) {
        String url = client.baseUrl() + "/v1/blocks/" + height + "/certificate";
        try {
            HttpResponse<byte[]> res = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                    .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            if (res.statusCode() == 404) {
                return new DemoRun.CertificateLine(height, null, 0, 0, 0, jobs); // not final (yet)
            }
            if (res.statusCode() != 200) {
                throw new VerityApiException("HTTP_" + res.statusCode(), "GET " + url + " answered " + res.statusCode(),
                        res.statusCode());
            }
            JsonNode c = client.json().readTree(res.body());
            return new DemoRun.CertificateLine(height, c.path("blockHash").asText(), c.path("signers").size(),
                    c.path("signedStake").asLong(), c.path("totalStake").asLong(), jobs);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the certificate of block " + height + " from " + url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the certificate of block " + height, e);
        }
    }

    /** Which byte the altered copy flips, and what it is part of. */
    record Flip(int offset, String where) {}

    /**
     * A byte inside the receipt's JOB_SETTLED event (else its last event): the altered copy then claims a settlement the
     * certified block did not emit. Falls back to the middle byte when the receipt does not decode.
     */
    static Flip flip(byte[] receipt) {
        try {
            JobReceipt r = JobReceipt.decode(receipt);
            ReceiptEvent chosen = null;
            long height = -1;
            boolean settled = false;
            for (CertifiedBlock b : r.blocks()) {
                for (ReceiptEvent e : b.events()) {
                    if (!settled) {
                        chosen = e;
                        height = b.height();
                        settled = isSettled(e);
                    }
                }
            }
            if (chosen != null) {
                byte[] ev = chosen.event();
                int at = indexOf(receipt, ev);
                if (at >= 0) {
                    String type = settled ? EventType.JOB_SETTLED.name() : "last";
                    return new Flip(at + ev.length / 2, "in its " + type + " event (block " + height + ", event " + chosen.index() + ")");
                }
            }
        } catch (DecodingException | IllegalArgumentException e) {
            // fall through
        }
        return new Flip(receipt.length / 2, "in the middle of the receipt");
    }

    private static boolean isSettled(ReceiptEvent e) {
        try {
            return e.fields().typeCode() == EventType.JOB_SETTLED.code();
        } catch (DecodingException x) {
            return false;
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for finality");
        }
    }
}
