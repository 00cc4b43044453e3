package dev.verity.compute;

import static dev.verity.validator.api.ApiFixture.ALICE;
import static dev.verity.validator.api.ApiFixture.BOB;
import static dev.verity.validator.api.ApiFixture.VRT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verity.core.Hash;
import dev.verity.protocol.tx.Payload;
import dev.verity.protocol.tx.SignedTransaction;
import dev.verity.sdk.EventQuery;
import dev.verity.sdk.EventSubscription;
import dev.verity.sdk.VerityApiException;
import dev.verity.sdk.VerityClient;
import dev.verity.sdk.Wallet;
import dev.verity.sdk.api.EventView;
import dev.verity.sdk.api.TransactionReceipt;
import dev.verity.testkit.PrometheusText;
import dev.verity.validator.api.ApiFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link VerityClient#failover} against two real validators of the same genesis, over HTTP, as a compute node uses it:
 * the first one stops mid-run and the calls, a transaction the second already holds, and an event stream go on with
 * the second; a refused request is not retried elsewhere; with both gone, the error names both and why.
 */
class ValidatorFailoverTest {
    @TempDir
    Path dir;

    @Test
    void callsGoOnWithTheSecondValidatorWhenTheFirstStops() throws Exception {
        try (ApiFixture a = new ApiFixture(dir.resolve("a"));
             ApiFixture b = new ApiFixture(dir.resolve("b"));
             VerityClient client = VerityClient.failover(List.of(a.server.url(), b.server.url()));
             VerityClient watcher = VerityClient.failover(List.of(a.server.url(), b.server.url()))) {
            String urlA = a.server.url();
            String urlB = b.server.url();
            Wallet alice = new Wallet(client, ALICE);
            Hash first = alice.transfer(BOB.publicKey(), 5 * VRT);
            a.produce();
            assertThat(client.awaitReceipt(first, Duration.ofSeconds(10)).status()).isEqualTo("INCLUDED");
            assertThat(client.baseUrl().toString()).isEqualTo(urlA);

            // A request the validator refuses is the caller's error: not sent to the second.
            assertThatThrownBy(() -> client.submit(new byte[] {1, 2, 3})).isInstanceOfSatisfying(VerityApiException.class,
                    e -> assertThat(e.status()).isEqualTo(400));
            assertThat(client.baseUrl().toString()).isEqualTo(urlA);
            assertThat(transactionPosts(b)).as("POST /v1/transactions on the second validator").isZero();

            List<EventView> events = new CopyOnWriteArrayList<>();
            List<Throwable> errors = new CopyOnWriteArrayList<>();
            EventSubscription stream = watcher.streamEvents(EventQuery.forAccount(BOB.publicKey()).withFromHeight(0), events::add,
                    errors::add);
            await(() -> events.stream().anyMatch(ev -> ev.height() == 1));

            // The second validator already holds the next transaction (the first passed it on before it went away).
            SignedTransaction held = new Wallet(b.client, ALICE).sign(new Payload.Transfer(BOB.publicKey(), 7 * VRT), 0);
            b.client.submit(held);
            assertThat(transactionPosts(b)).isEqualTo(1);
            a.server.close(); // the first validator stops mid-run

            TransactionReceipt again = client.submit(held);
            assertThat(again.hash()).isEqualTo(held.hash().hex());
            assertThat(again.status()).as("the second validator's receipt of the transaction it holds").isEqualTo("PENDING");
            assertThat(client.baseUrl().toString()).isEqualTo(urlB);
            b.produce();
            assertThat(client.awaitReceipt(held.hash(), Duration.ofSeconds(10)).status()).isEqualTo("INCLUDED");
            Hash later = new Wallet(client, ALICE).transfer(BOB.publicKey(), 9 * VRT);
            b.produce();
            assertThat(client.awaitReceipt(later, Duration.ofSeconds(10)).status()).isEqualTo("INCLUDED");
            assertThat(client.status().height()).isEqualTo(2);

            await(() -> events.stream().anyMatch(ev -> ev.height() == 2));
            assertThat(errors).as("the stream moved to the second validator").isEmpty();
            assertThat(watcher.baseUrl().toString()).isEqualTo(urlB);

            b.server.close();
            assertThatThrownBy(client::status).isInstanceOfSatisfying(VerityApiException.class, e -> {
                assertThat(e.code()).isEqualTo(VerityApiException.UNREACHABLE);
                assertThat(e.getMessage()).contains("no validator answers", urlA + " (UNREACHABLE",
                        urlB + " (UNREACHABLE", "is it running?");
            });
            await(() -> !stream.isOpen());
            assertThat(errors).singleElement().isInstanceOfSatisfying(VerityApiException.class, e -> {
                assertThat(e.code()).isEqualTo(VerityApiException.STREAM_CLOSED);
                assertThat(e.getMessage()).contains("no validator took it up again");
            });
        }
    }

    private static double transactionPosts(ApiFixture f) throws Exception {
        var samples = PrometheusText.parse(f.get("/metrics").body());
        return PrometheusText.find(samples, "verity_api_requests_total", "route", "/v1/transactions", "method", "POST").stream()
                .mapToDouble(PrometheusText.Sample::value).sum();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 20 s").isLessThan(end);
            Thread.sleep(20);
        }
    }
}
