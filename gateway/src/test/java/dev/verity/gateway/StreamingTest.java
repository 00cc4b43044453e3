package dev.verity.gateway;

import static dev.verity.gateway.testing.OpenAiAssertions.assertError;
import static dev.verity.gateway.testing.OpenAiAssertions.assertErrorObject;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verity.gateway.backend.BackendException;
import dev.verity.gateway.backend.JobStarted;
import dev.verity.gateway.testing.GatewayHarness;
import dev.verity.gateway.testing.RawHttpClient;
import dev.verity.gateway.testing.TestChatBackend;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.generation.FinishReason;
import dev.verity.protocol.generation.GenerationResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamingTest {
    static final String REPLY = "Hello, world! é👋";
    static final String CHAT = "/v1/chat/completions";
    static final int MANY_TOKENS = 20_000;

    final CountDownLatch endlessCancelled = new CountDownLatch(1);
    final CountDownLatch manyReturned = new CountDownLatch(1);
    final CountDownLatch proceed = new CountDownLatch(1);
    GatewayHarness gateway;

    @BeforeAll
    void start() {
        TestChatBackend backend = new TestChatBackend()
                .serve("verity-chat", TestChatBackend.answering(REPLY))
                .serve("liar", (request, listener) -> {
                    listener.onJobStarted(new JobStarted(TestChatBackend.jobId(request), VerificationMode.TEE,
                            TestChatBackend.NODE));
                    for (int id : TestChatBackend.TOKENIZER.encode("Something else")) {
                        listener.onToken(id);
                    }
                    return TestChatBackend.settled(TestChatBackend.jobId(request),
                            TestChatBackend.honestResult(request, TestChatBackend.wouldWrite(REPLY)));
                })
                .serve("expires-midway", (request, listener) -> {
                    listener.onJobStarted(new JobStarted(TestChatBackend.jobId(request), VerificationMode.TEE,
                            TestChatBackend.NODE));
                    listener.onToken(TestChatBackend.TOKENIZER.encode("H")[0]);
                    throw new BackendException.Expired(TestChatBackend.jobId(request), "the node went silent; job "
                            + TestChatBackend.jobId(request).hex() + " expired at its deadline");
                })
                .serve("unavailable", (r, l) -> {
                    throw new BackendException.Unavailable("no node serves model unavailable now");
                })
                .serve("quiet", (request, listener) -> TestChatBackend.settled(TestChatBackend.jobId(request),
                        TestChatBackend.honestResult(request, TestChatBackend.wouldWrite(REPLY))))
                .serve("endless", (request, listener) -> {
                    listener.onJobStarted(new JobStarted(TestChatBackend.jobId(request), VerificationMode.TEE,
                            TestChatBackend.NODE));
                    try {
                        while (true) {
                            listener.onToken(TestChatBackend.TOKENIZER.encode("a")[0]);
                            Thread.sleep(2); // a node's pace; the loop ends when the gateway stops waiting
                        }
                    } catch (InterruptedException e) {
                        endlessCancelled.countDown();
                        throw e;
                    }
                })
                .serve("many", (request, listener) -> {
                    int[] tokens = new int[MANY_TOKENS];
                    java.util.Arrays.fill(tokens, TestChatBackend.TOKENIZER.encode("a")[0]);
                    listener.onJobStarted(new JobStarted(TestChatBackend.jobId(request), VerificationMode.TEE,
                            TestChatBackend.NODE));
                    for (int id : tokens) {
                        listener.onToken(id);
                    }
                    manyReturned.countDown();
                    return TestChatBackend.settled(TestChatBackend.jobId(request),
                            new GenerationResult(tokens, FinishReason.LENGTH));
                })
                .serve("flood", (request, listener) -> {
                    for (int i = 0; i < request.maxTokens() + 100; i++) {
                        listener.onToken(TestChatBackend.TOKENIZER.encode("z")[0]);
                    }
                    return TestChatBackend.settled(TestChatBackend.jobId(request),
                            TestChatBackend.honestResult(request, TestChatBackend.wouldWrite(REPLY)));
                })
                .serve("waits", (request, listener) -> {
                    listener.onJobStarted(new JobStarted(TestChatBackend.jobId(request), VerificationMode.OPTIMISTIC,
                            TestChatBackend.NODE));
                    proceed.await();
                    return TestChatBackend.answering("ok").run(request, listener);
                });
        gateway = GatewayHarness.start(backend, GatewayConfig.loopback(0).withTimeouts(Duration.ofSeconds(30), 1024,
                Duration.ofMillis(50)));
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    static String chat(String model, String more) {
        return "{\"model\":\"" + model + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]"
                + (more.isEmpty() ? "" : "," + more) + "}";
    }

    /** The content pieces of a chat stream's chunks, in order. */
    static List<String> pieces(List<JsonNode> chunks) {
        List<String> out = new ArrayList<>();
        for (JsonNode c : chunks) {
            JsonNode choices = c.get("choices");
            if (choices != null && !choices.isEmpty() && choices.get(0).get("delta").has("content")) {
                String s = choices.get(0).get("delta").get("content").asText();
                if (!s.isEmpty()) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    @Test
    void streamsRoleThenTextThenFinishThenUsageThenDone() {
        GatewayHarness.Reply r = gateway.post(CHAT, chat("verity-chat", "\"stream_options\":{\"include_usage\":true}"));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("text/event-stream");
        String job = TestChatBackend.jobId(gateway.backend().lastRequest()).hex();
        assertThat(r.header("Verity-Job")).isEqualTo(job);
        assertThat(r.header("Verity-Mode")).isEqualTo("TEE");
        assertThat(r.header("Verity-Status")).isEqualTo("ASSIGNED");
        List<String> events = r.events();
        assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
        List<JsonNode> chunks = r.jsonEvents();
        assertThat(chunks).hasSize(events.size() - 1);
        for (JsonNode c : chunks) {
            assertThat(c.get("object").asText()).isEqualTo("chat.completion.chunk");
            assertThat(c.get("id").asText()).startsWith("chatcmpl-").isEqualTo(chunks.get(0).get("id").asText());
            assertThat(c.get("created").asLong()).isEqualTo(GatewayHarness.CREATED);
            assertThat(c.get("model").asText()).isEqualTo("verity-chat");
        }

        JsonNode first = chunks.get(0).get("choices").get(0);
        assertThat(first.get("delta").get("role").asText()).isEqualTo("assistant");
        assertThat(first.get("finish_reason").isNull()).isTrue();
        assertThat(String.join("", pieces(chunks))).isEqualTo(REPLY);

        JsonNode finish = chunks.get(chunks.size() - 2);
        assertThat(finish.get("choices").get(0).get("finish_reason").asText()).isEqualTo("stop");
        assertThat(finish.get("choices").get(0).get("delta").size()).isZero();
        assertThat(finish.get("verity").get("job").asText()).isEqualTo(job);
        assertThat(finish.get("verity").get("status").asText()).isEqualTo("SETTLED");
        assertThat(finish.has("usage")).isFalse();

        JsonNode usage = chunks.get(chunks.size() - 1);
        assertThat(usage.get("choices")).isEmpty();
        int completion = REPLY.getBytes(StandardCharsets.UTF_8).length + 1;
        assertThat(usage.get("usage").get("completion_tokens").asInt()).isEqualTo(completion);
        assertThat(usage.get("usage").get("total_tokens").asInt())
                .isEqualTo(gateway.backend().lastRequest().promptLength() + completion);
        assertThat(usage.get("verity").get("job").asText()).isEqualTo(job);
        for (JsonNode c : chunks.subList(0, chunks.size() - 2)) {
            assertThat(c.has("usage")).isFalse();
            assertThat(c.has("verity")).isFalse();
        }
    }

    @Test
    void withoutIncludeUsageTheFinishChunkIsLast() {
        List<JsonNode> chunks = gateway.post(CHAT, chat("verity-chat", "")).jsonEvents();

        JsonNode last = chunks.get(chunks.size() - 1);
        assertThat(last.get("choices").get(0).get("finish_reason").asText()).isEqualTo("stop");
        assertThat(last.has("verity")).isTrue();
        assertThat(chunks).noneMatch(c -> c.has("usage"));
    }

    @Test
    void aCharacterSplitAcrossTokensIsSentWhole() {
        // "é" is two tokens and "👋" four, one byte each: each piece waits for its character's last byte.
        List<String> pieces = pieces(gateway.post(CHAT, chat("verity-chat", "")).jsonEvents());

        assertThat(pieces).endsWith("!", " ", "é", "👋");
        assertThat(pieces).allMatch(p -> !p.contains("\uFFFD"));
    }

    @Test
    void aStopStringIsHeldBackThenCut() {
        List<JsonNode> chunks = gateway.post(CHAT, chat("verity-chat", "\"stop\":\"world\"")).jsonEvents();

        assertThat(pieces(chunks)).containsExactly("H", "e", "l", "l", "o", ",", " ");
        assertThat(chunks.get(chunks.size() - 1).get("choices").get(0).get("finish_reason").asText()).isEqualTo("stop");
    }

    @Test
    void aMaxTokensStreamFinishesForLength() {
        List<JsonNode> chunks = gateway.post(CHAT, chat("verity-chat", "\"max_tokens\":3")).jsonEvents();

        assertThat(pieces(chunks)).containsExactly("H", "e", "l");
        assertThat(chunks.get(chunks.size() - 1).get("choices").get(0).get("finish_reason").asText()).isEqualTo("length");
    }

    @Test
    void aSettledResultThatDiffersFromTheStreamEndsWithAnErrorEventBeforeDone() {
        GatewayHarness.Reply r = gateway.post(CHAT, chat("liar", ""));

        assertThat(r.status()).isEqualTo(200);
        List<String> events = r.events();
        assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
        List<JsonNode> chunks = r.jsonEvents();
        assertThat(String.join("", pieces(chunks))).isEqualTo("Something else");
        JsonNode error = chunks.get(chunks.size() - 1);
        assertThat(assertErrorObject(error, "server_error", null, "result_mismatch")).contains("receipt");
        assertThat(chunks).noneMatch(c -> c.has("verity"));
    }

    @Test
    void tokensANodeStreamsBeyondTheMaximumAreDroppedAndEndTheStreamInError() {
        List<JsonNode> chunks = gateway.post(CHAT, chat("flood", "\"max_tokens\":3")).jsonEvents();

        assertThat(String.join("", pieces(chunks))).isEqualTo("zzzz"); // the maximum and one to show the excess
        assertErrorObject(chunks.get(chunks.size() - 1), "server_error", null, "result_mismatch");
    }

    @Test
    void aJobThatFailsAfterTheStreamStartedEndsWithAnErrorEvent() {
        GatewayHarness.Reply r = gateway.post(CHAT, chat("expires-midway", ""));

        List<JsonNode> chunks = r.jsonEvents();
        assertThat(pieces(chunks)).containsExactly("H");
        assertErrorObject(chunks.get(chunks.size() - 1), "server_error", null, "job_expired");
        assertThat(r.events().get(r.events().size() - 1)).isEqualTo("[DONE]");
    }

    @Test
    void aJobThatFailsBeforeItStartsIsAnHttpError() {
        GatewayHarness.Reply r = gateway.post(CHAT, chat("unavailable", ""));

        assertError(r, 503, "server_error", null, "backend_unavailable");
    }

    @Test
    void aBackendThatStreamsNothingStreamsTheSettledResult() {
        GatewayHarness.Reply r = gateway.post(CHAT, chat("quiet", ""));

        assertThat(r.header("Verity-Status")).isEqualTo("SETTLED");
        assertThat(String.join("", pieces(r.jsonEvents()))).isEqualTo(REPLY);
    }

    @Test
    void aClientThatHangsUpCancelsTheWaitForItsJob() throws Exception {
        try (RawHttpClient client = RawHttpClient.post(gateway.port(), CHAT, chat("endless", ""), 0)) {
            client.readUntil("\"content\":\"a\"");
        }

        assertThat(endlessCancelled.await(20, TimeUnit.SECONDS)).as("the backend's wait was cancelled").isTrue();
        awaitNoActiveAnswers();
    }

    @Test
    void aClientThatDoesNotReadHoldsUpNeitherTheBackendNorOtherClients() throws Exception {
        try (RawHttpClient slow = RawHttpClient.post(gateway.port(), CHAT, chat("many", ""), 1024)) {
            slow.readUntil("HTTP/1.1 200");
            // Far more than the socket buffers hold is produced while the client reads nothing.
            assertThat(manyReturned.await(20, TimeUnit.SECONDS)).as("the backend delivered every token").isTrue();

            GatewayHarness.Reply other = gateway.post(CHAT, chat("verity-chat", "\"stream\":false"));
            assertThat(other.status()).isEqualTo(200);
            assertThat(gateway.get("/v1/models").status()).isEqualTo(200);
        }
        awaitNoActiveAnswers();
    }

    @Test
    void aSilentJobIsKeptAliveWithComments() throws Exception {
        try (RawHttpClient client = RawHttpClient.post(gateway.port(), CHAT, chat("waits", ""), 0)) {
            String head = client.readUntil(": keep-alive");
            assertThat(head).contains("Verity-Mode: OPTIMISTIC");
            proceed.countDown();
            String all = client.readToDone();
            assertThat(all).contains("\"content\":\"o\"").contains("\"finish_reason\":\"stop\"");
        }
    }

    private void awaitNoActiveAnswers() throws InterruptedException {
        for (int i = 0; i < 200 && gateway.server().activeAnswers() > 0; i++) {
            Thread.sleep(50);
        }
        assertThat(gateway.server().activeAnswers()).isZero();
    }
}
