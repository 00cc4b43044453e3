package dev.verity.validator.consensus.ratis;

import dev.verity.core.Bytes;
import dev.verity.core.Decoder;
import dev.verity.protocol.consensus.FinalityCertificate;
import dev.verity.validator.chain.ChainNode;
import dev.verity.protocol.consensus.ValidatorSet;
import dev.verity.validator.chain.SnapshotStream;
import dev.verity.validator.chain.ValidatorSetChanges;
import dev.verity.validator.chain.VerifiedSnapshot;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a validator that fell behind the log the others keep (or a new one) up to date from a snapshot: it asks the
 * other validators' APIs in turn for their state snapshot and for the finality certificate of its block, checks the
 * certificate against the validator set this node trusts and the rows against the certified state root
 * ({@link VerifiedSnapshot}), and installs the first that holds. A snapshot is never trusted for where it came from.
 */
final class SnapshotCatchUp {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotCatchUp.class);

    /** Where the snapshot brought the node: the block height and the log position it completes. */
    record Installed(long height, long term, long index) {}

    private final ChainNode chain;
    private final Supplier<List<String>> apiUrls;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    SnapshotCatchUp(ChainNode chain, Supplier<List<String>> apiUrls) {
        this.chain = chain;
        this.apiUrls = apiUrls;
    }

    /**
     * Installs a verified snapshot whose log position is at least {@code minIndex}, trying every peer until
     * {@code deadline}; throws when none could be had.
     */
    Installed run(long minIndex, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        List<String> failures = new ArrayList<>();
        while (true) {
            for (String url : apiUrls.get()) {
                if (url == null || url.isBlank()) {
                    continue;
                }
                try {
                    Optional<Installed> done = tryFrom(url, minIndex);
                    if (done.isPresent()) {
                        return done.get();
                    }
                } catch (IOException | VerifiedSnapshot.RefusedException | RuntimeException e) {
                    String why = url + ": " + e.getMessage();
                    failures.add(why);
                    LOG.warn("snapshot from {} refused: {}", url, e.getMessage());
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no verified snapshot at log index " + minIndex + " or later from "
                        + apiUrls.get() + ": " + failures);
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while catching up from a snapshot", e);
            }
        }
    }

    private Optional<Installed> tryFrom(String url, long minIndex) throws IOException, VerifiedSnapshot.RefusedException {
        SnapshotStream.Received received;
        try (InputStream in = get(url + "/v1/snapshot")) {
            received = SnapshotStream.read(in);
        }
        if (received.applied() == null) {
            throw new IOException("its snapshot names no position in the replicated log");
        }
        Decoder d = new Decoder(received.applied());
        long term = d.u64("term");
        long index = d.u64("index");
        if (index < minIndex) {
            LOG.info("the snapshot of {} is at log index {}, before {}: waiting for a newer one", url, index, minIndex);
            return Optional.empty();
        }
        Optional<FinalityCertificate> cert = certificate(received.height());
        if (cert.isEmpty()) {
            LOG.info("block {} of the snapshot from {} is not certified yet", received.height(), url);
            return Optional.empty();
        }
        // The set that signed the snapshot's block: this node's own, followed through the changes certified since its head.
        ValidatorSet trusted = ValidatorSetChanges.follow(chain.currentValidatorSet(), setChanges(url, chain.height()),
                received.height() - 1);
        VerifiedSnapshot verified = VerifiedSnapshot.verify(chain.genesis().chainId(), trusted, received, cert.get());
        chain.installSnapshot(verified);
        return Optional.of(new Installed(verified.height(), term, index));
    }

    private List<ValidatorSetChanges.Change> setChanges(String url, long after) throws IOException {
        try (InputStream in = get(url + "/v1/validator-set-changes?after=" + after)) {
            var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(in).get("changes");
            List<ValidatorSetChanges.Change> out = new ArrayList<>();
            for (var c : node) {
                out.add(new ValidatorSetChanges.Change(c.get("height").asLong(), c.get("header").asText(),
                        c.get("certificate").asText(), c.get("validatorSet").asText(), c.get("proof").asText()));
            }
            return out;
        }
    }

    /** The certificate of {@code height} from any peer: each is checked against the trusted set, so any may serve it. */
    private Optional<FinalityCertificate> certificate(long height) {
        for (String url : apiUrls.get()) {
            if (url == null || url.isBlank()) {
                continue;
            }
            try (InputStream in = get(url + "/v1/blocks/" + height + "/certificate")) {
                var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(in);
                return Optional.of(FinalityCertificate.decode(Bytes.fromHex(node.get("certificate").asText())));
            } catch (IOException | RuntimeException e) {
                LOG.debug("no certificate of block {} from {}: {}", height, url, e.toString());
            }
        }
        return Optional.empty();
    }

    private InputStream get(String url) throws IOException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(10)).GET().build();
        try {
            HttpResponse<InputStream> res = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
            if (res.statusCode() != 200) {
                String body = new String(res.body().readNBytes(500), java.nio.charset.StandardCharsets.UTF_8);
                res.body().close();
                throw new IOException("GET " + url + " answered " + res.statusCode() + ": " + body);
            }
            return res.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
