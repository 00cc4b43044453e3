package dev.verity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.verity.core.Bytes;
import dev.verity.core.Hash;
import dev.verity.core.Merkle;
import dev.verity.core.PrivateKey;
import dev.verity.core.Sha256;
import dev.verity.ledger.event.EventType;
import dev.verity.ledger.event.LedgerEvent;
import dev.verity.protocol.block.BlockHeader;
import dev.verity.protocol.consensus.FinalityCertificate;
import dev.verity.protocol.consensus.FinalityVote;
import dev.verity.protocol.consensus.SignedVote;
import dev.verity.protocol.consensus.ValidatorInfo;
import dev.verity.protocol.consensus.ValidatorSet;
import dev.verity.receipt.CertifiedBlock;
import dev.verity.receipt.JobReceipt;
import dev.verity.receipt.TrustedValidators;
import dev.verity.sdk.receipt.TrustFile;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code verity job receipt}, {@code verity receipt verify} and {@code verity validators} on the client side: a small
 * HTTP server serves fixed bytes (a real, signed receipt and the validator set), so this checks fetching, writing,
 * parsing, verifying and printing. The receipt is built here from real keys, ledger events and Merkle paths.
 */
class ReceiptCommandTest {
    static final String CHAIN = "verity-cli-receipts";
    static final Hash JOB = Sha256.digest(Bytes.utf8("a job with a receipt"));
    static final List<PrivateKey> KEYS = List.of(PrivateKey.deterministic("v1"), PrivateKey.deterministic("v2"),
            PrivateKey.deterministic("v3"), PrivateKey.deterministic("v4"));
    static final ValidatorSet SET = ValidatorSet.of(KEYS.stream().map(k -> new ValidatorInfo(k.publicKey(), 3_000_000,
            "10.0.0." + k.publicKey().hex().charAt(0) + ":9870", "http://10.0.0." + k.publicKey().hex().charAt(0) + ":8645"))
            .toList());
    static final TrustedValidators TRUSTED = new TrustedValidators(CHAIN, SET, 9);

    @TempDir
    Path dir;

    HttpServer server;
    final List<String> requests = new CopyOnWriteArrayList<>();
    volatile byte[] receiptBytes;

    static List<byte[]> events() {
        PrivateKey client = PrivateKey.deterministic("client");
        PrivateKey node = PrivateKey.deterministic("node");
        return List.of(
                LedgerEvent.of(EventType.TRANSFER, null, null, client.publicKey(), 5, "a transfer").encode(),
                LedgerEvent.of(EventType.RESULT_POSTED, JOB, node.publicKey(), null, 0, "").encode(),
                LedgerEvent.of(EventType.JOB_SETTLED, JOB, node.publicKey(), client.publicKey(), 400_000, "paid").encode(),
                LedgerEvent.of(EventType.NODE_PAID, JOB, node.publicKey(), node.publicKey(), 300_000, "share").encode(),
                LedgerEvent.of(EventType.JOB_SUBMITTED, Sha256.digest(Bytes.utf8("other")), null, null, 1, "").encode());
    }

    /** Block 7, with the job's settlement, signed by {@code signers} of the four validators. */
    static JobReceipt receipt(int signers) {
        List<Hash> leaves = events().stream().map(Merkle::leaf).toList();
        BlockHeader h = new BlockHeader(CHAIN, 7, Sha256.digest(Bytes.utf8("block 6")), 1_700_000_007_000L,
                Sha256.digest(Bytes.utf8("txs")), Sha256.digest(Bytes.utf8("state")), Merkle.root(leaves),
                KEYS.getFirst().publicKey());
        FinalityVote vote = new FinalityVote(CHAIN, 7, h.hash(), h.stateRoot(), SET.hash());
        FinalityCertificate c = FinalityCertificate.of(vote, KEYS.subList(0, signers).stream()
                .map(k -> SignedVote.sign(vote, k)).toList());
        return new JobReceipt(CHAIN, JOB, List.of(CertifiedBlock.of(h, c, events(), JOB)), List.of());
    }

    @BeforeEach
    void serve() throws IOException {
        receiptBytes = receipt(3).encode();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            requests.add(ex.getRequestMethod() + " " + ex.getRequestURI());
            String path = ex.getRequestURI().getPath();
            byte[] body;
            String type = "application/json";
            int status = 200;
            if (path.equals("/v1/jobs/" + JOB.hex() + "/receipt")) {
                body = receiptBytes;
                type = "application/octet-stream";
            } else if (path.equals("/v1/validators")) {
                body = TrustFile.json(TRUSTED).getBytes(StandardCharsets.UTF_8);
            } else {
                status = 404;
                body = "{\"code\":\"NOT_FOUND\",\"message\":\"no job with this id\"}".getBytes(StandardCharsets.UTF_8);
            }
            ex.getResponseHeaders().set("Content-Type", type);
            ex.sendResponseHeaders(status, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    String api() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void jobReceiptWritesTheBytesAndSummarizesThem() throws Exception {
        Path file = dir.resolve("out/job.receipt");
        CliRun.Result r = CliRun.run("job", "receipt", JOB.hex(), "--out", file.toString(), "--api", api(), "--json");
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(Files.readAllBytes(file)).isEqualTo(receiptBytes);

        JsonNode doc = r.json();
        assertThat(doc.get("job").asText()).isEqualTo(JOB.hex());
        assertThat(doc.get("path").asText()).isEqualTo(file.toString());
        assertThat(doc.get("verified").asBoolean()).isFalse();
        JsonNode block = doc.get("blocks").get(0);
        assertThat(block.get("height").asLong()).isEqualTo(7);
        assertThat(block.get("blockHash").asText()).isEqualTo(receipt(3).blocks().getFirst().blockHash().hex());
        assertThat(block.get("eventCount").asInt()).isEqualTo(5);
        assertThat(block.get("signers")).hasSize(3);
        assertThat(block.get("signedStake").asLong()).isEqualTo(9_000_000);
        assertThat(block.get("totalStake").asLong()).isEqualTo(12_000_000);
        assertThat(block.get("events").findValuesAsText("type")).containsExactly("RESULT_POSTED", "JOB_SETTLED", "NODE_PAID");
        assertThat(block.get("events").findValuesAsText("index")).containsExactly("1", "2", "3");
        assertThat(doc.get("setChanges")).isEmpty();

        CliRun.Result human = CliRun.run("job", "receipt", JOB.hex(), "--out", dir.resolve("h.receipt").toString(),
                "--api", api());
        assertThat(human.exitCode()).as("%s", human).isZero();
        assertThat(human.out()).contains("written:", "h.receipt (" + receiptBytes.length + " bytes)", "JOB_SETTLED",
                "3 signers, 9.000000 VRT of 12.000000 VRT", "Not verified here", "verity receipt verify");

        CliRun.Result missing = CliRun.run("job", "receipt", Sha256.digest(Bytes.utf8("nope")).hex(), "--api", api());
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("no job with this id");
    }

    @Test
    void aReceiptVerifiesOfflineAgainstATrustFile() throws Exception {
        Path file = dir.resolve("job.receipt");
        Files.write(file, receiptBytes);
        Path trust = dir.resolve("trust.json");
        TrustFile.write(trust, TRUSTED);
        server.stop(0); // offline: nothing to ask

        CliRun.Result r = CliRun.run("receipt", "verify", file.toString(), "--trust", trust.toString(), "--api", api(),
                "--json");
        assertThat(r.exitCode()).as("%s", r).isZero();
        JsonNode doc = r.json();
        assertThat(doc.get("valid").asBoolean()).isTrue();
        assertThat(doc.get("check").isNull()).isTrue();
        assertThat(doc.get("job").asText()).isEqualTo(JOB.hex());
        assertThat(doc.get("trust").get("source").asText()).isEqualTo(trust.toString());
        assertThat(doc.get("trust").get("trustedOnFirstUse").asBoolean()).isFalse();
        assertThat(doc.get("events").asInt()).isEqualTo(3);
        assertThat(doc.get("blocks").get(0).get("signedStake").asLong()).isEqualTo(9_000_000);
        assertThat(doc.get("blocks").get(0).get("events").findValuesAsText("type"))
                .containsExactly("RESULT_POSTED", "JOB_SETTLED", "NODE_PAID");

        CliRun.Result human = CliRun.run("receipt", "verify", file.toString(), "--trust", trust.toString());
        assertThat(human.exitCode()).as("%s", human).isZero();
        assertThat(human.out()).contains("valid:", "yes: 3 events of the job in 1 final block of chain", "the trust file " + trust);
    }

    @Test
    void withoutATrustFileTheSetIsFetchedAndSaidToBeTrustedOnFirstUse() throws Exception {
        Path file = dir.resolve("job.receipt");
        Files.write(file, receiptBytes);
        CliRun.Result r = CliRun.run("receipt", "verify", file.toString(), "--api", api(), "--json");
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.json().get("trust").get("source").asText()).isEqualTo(api());
        assertThat(r.json().get("trust").get("trustedOnFirstUse").asBoolean()).isTrue();
        assertThat(requests).containsExactly("GET /v1/validators");

        CliRun.Result human = CliRun.run("receipt", "verify", file.toString(), "--api", api());
        assertThat(human.out()).contains("fetched from the validator at " + api() + " (trusted on first use)",
                "verity validators --json > trust.json");
    }

    @Test
    void aReceiptThatDoesNotHoldExitsNonZeroNamingTheCheck() throws Exception {
        Path trust = dir.resolve("trust.json");
        TrustFile.write(trust, TRUSTED);

        Path weak = dir.resolve("weak.receipt");
        Files.write(weak, receipt(2).encode());
        CliRun.Result r = CliRun.run("receipt", "verify", weak.toString(), "--trust", trust.toString(), "--json");
        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        JsonNode doc = r.json();
        assertThat(doc.get("valid").asBoolean()).isFalse();
        assertThat(doc.get("check").asText()).isEqualTo("CERTIFICATE");
        assertThat(doc.get("reason").asText()).contains("more than two thirds").doesNotContain("trusted from before it");
        assertThat(doc.get("code").asText()).isEqualTo("RECEIPT_REFUSED");

        byte[] tampered = receiptBytes.clone();
        tampered[tampered.length - 40] ^= 1; // inside the last event's path
        Path bad = dir.resolve("bad.receipt");
        Files.write(bad, tampered);
        CliRun.Result human = CliRun.run("receipt", "verify", bad.toString(), "--trust", trust.toString());
        assertThat(human.exitCode()).isEqualTo(1);
        assertThat(human.err()).startsWith("error: the receipt does not hold (EVENT_PROOF)");

        Path garbage = dir.resolve("garbage.receipt");
        Files.writeString(garbage, "not a receipt");
        CliRun.Result format = CliRun.run("receipt", "verify", garbage.toString(), "--trust", trust.toString(), "--json");
        assertThat(format.exitCode()).isEqualTo(1);
        assertThat(format.json().get("check").asText()).isEqualTo("FORMAT");

        CliRun.Result otherChain = CliRun.run("receipt", "verify", weak.toString(), "--trust", trustOf("another-chain"),
                "--json");
        assertThat(otherChain.json().get("check").asText()).isEqualTo("CHAIN");

        CliRun.Result noFile = CliRun.run("receipt", "verify", dir.resolve("none").toString(), "--trust", trust.toString());
        assertThat(noFile.exitCode()).isEqualTo(1);
        assertThat(noFile.err()).contains("no such file");

        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"chainId\": \"x\"}");
        CliRun.Result badTrust = CliRun.run("receipt", "verify", weak.toString(), "--trust", broken.toString(), "--json");
        assertThat(badTrust.exitCode()).isEqualTo(1);
        assertThat(badTrust.json().get("code").asText()).isEqualTo("TRUST_FILE");
        assertThat(badTrust.json().get("message").asText()).contains("broken.json is not a valid trust file");
    }

    private String trustOf(String chain) {
        Path p = dir.resolve(chain + ".json");
        TrustFile.write(p, new TrustedValidators(chain, SET, 0));
        return p.toString();
    }

    @Test
    void validatorsJsonIsATrustFile() throws Exception {
        CliRun.Result r = CliRun.run("validators", "--api", api(), "--json");
        assertThat(r.exitCode()).as("%s", r).isZero();
        Path trust = dir.resolve("trust.json");
        Files.writeString(trust, r.out());
        assertThat(TrustFile.read(trust)).isEqualTo(TRUSTED);
        assertThat(r.json().get("validatorSetHash").asText()).isEqualTo(SET.hash().hex());
        assertThat(r.json().get("height").asLong()).isEqualTo(9);

        Path file = dir.resolve("job.receipt");
        Files.write(file, receiptBytes);
        assertThat(CliRun.run("receipt", "verify", file.toString(), "--trust", trust.toString()).exitCode()).isZero();

        CliRun.Result human = CliRun.run("validators", "--api", api());
        assertThat(human.exitCode()).as("%s", human).isZero();
        assertThat(human.out()).contains("chain:", CHAIN, "set hash:", SET.hash().hex(), "total stake:", "12.000000 VRT",
                KEYS.get(2).publicKey().hex(), "3.000000 VRT");
    }
}
