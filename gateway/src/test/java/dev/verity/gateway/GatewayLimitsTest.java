package dev.verity.gateway;

import static dev.verity.gateway.testing.OpenAiAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verity.gateway.testing.GatewayHarness;
import dev.verity.gateway.testing.TestChatBackend;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What the gateway allows: body size, answers at once, the API key, where it may listen. */
class GatewayLimitsTest {
    static final String CHAT = "/v1/chat/completions";
    static final String HI = "{\"model\":\"verity-chat\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

    @Test
    void aBodyOverTheLimitIs413WhetherDeclaredOrNot() {
        try (GatewayHarness gateway = GatewayHarness.start(new TestChatBackend().serve("verity-chat",
                TestChatBackend.answering("ok")), GatewayConfig.loopback(0).withLimits(2048, 4))) {
            String big = "{\"model\":\"verity-chat\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(3000) + "\"}]}";

            assertError(gateway.post(CHAT, big), 413, "invalid_request_error", null, "request_too_large");
            // Sent chunked, with no Content-Length: cut off while it is read.
            byte[] bytes = big.getBytes(StandardCharsets.UTF_8);
            GatewayHarness.Reply chunked = gateway.send(HttpRequest.newBuilder(gateway.uri(CHAT))
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))));
            assertError(chunked, 413, "invalid_request_error", null, "request_too_large");

            assertThat(gateway.post(CHAT, HI).status()).isEqualTo(200);
        }
    }

    @Test
    void answersBeyondTheLimitAtOnceAre429() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        TestChatBackend backend = new TestChatBackend().serve("verity-chat", (request, listener) -> {
            started.countDown();
            release.await();
            return TestChatBackend.answering("ok").run(request, listener);
        });
        try (GatewayHarness gateway = GatewayHarness.start(backend, GatewayConfig.loopback(0).withLimits(4096, 1))) {
            Thread first = Thread.ofVirtual().start(() -> gateway.post(CHAT, HI));
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

            GatewayHarness.Reply second = gateway.post(CHAT, HI);

            assertError(second, 429, "requests", null, "rate_limit_exceeded");
            release.countDown();
            first.join();
            assertThat(gateway.post(CHAT, HI).status()).isEqualTo(200);
        }
    }

    @Test
    void withAnApiKeyEveryRequestMustCarryIt() {
        try (GatewayHarness gateway = GatewayHarness.start(new TestChatBackend().serve("verity-chat",
                TestChatBackend.answering("ok")), GatewayConfig.loopback(0).withApiKey("sk-verity-test"))) {
            assertError(gateway.get("/v1/models"), 401, "invalid_request_error", null, "invalid_api_key");
            assertError(gateway.send(HttpRequest.newBuilder(gateway.uri("/v1/models")).header("Authorization", "Bearer nope")),
                    401, "invalid_request_error", null, "invalid_api_key");

            GatewayHarness.Reply ok = gateway.send(HttpRequest.newBuilder(gateway.uri("/v1/models"))
                    .header("Authorization", "Bearer sk-verity-test"));
            assertThat(ok.status()).isEqualTo(200);
        }
    }

    @Test
    void listeningBeyondThisMachineNeedsAnApiKey() {
        assertThatThrownBy(() -> GatewayConfig.listen("0.0.0.0:8080", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("API key");
        assertThat(GatewayConfig.listen("0.0.0.0:8080", "k").host()).isEqualTo("0.0.0.0");
        assertThat(GatewayConfig.listen("[::1]:9000", null).port()).isEqualTo(9000);
        assertThatThrownBy(() -> GatewayConfig.listen("localhost", null)).hasMessageContaining("HOST:PORT");
        assertThatThrownBy(() -> GatewayConfig.listen("127.0.0.1:http", null)).hasMessageContaining("not a port");
    }
}
