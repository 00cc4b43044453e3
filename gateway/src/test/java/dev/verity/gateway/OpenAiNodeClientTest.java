package dev.verity.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.gateway.testing.GatewayHarness;
import dev.verity.gateway.testing.TestChatBackend;
import dev.verity.protocol.generation.GenerationResult;
import dev.verity.testkit.OpenAiClientScripts;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The official {@code openai} npm client (pinned in {@code src/test/js/package-lock.json}) against a running gateway:
 * {@code src/test/js/openai-client-test.mjs} makes plain, streamed and legacy completions and provokes errors, and
 * must exit 0. It needs Node.js 18+ and npm; without them this test fails and says how to install them. The package is
 * installed with {@code npm ci} into {@code target/openai-client-test/}, from npm's cache when it holds it.
 */
class OpenAiNodeClientTest {
    static final String REPLY = "Hello from Verity! Ça va? 👋";
    static final String API_KEY = "sk-verity-gateway-test";
    static final Path SOURCES = Path.of("src", "test", "js");
    static final Path WORK = Path.of("target", "openai-client-test");

    @Test
    void theOfficialOpenAiNodeClientWorksAgainstTheGateway() throws Exception {
        OpenAiClientScripts.install(SOURCES, WORK, List.of("openai-client-test.mjs"));
        TestChatBackend backend = new TestChatBackend()
                .serve("verity-chat", TestChatBackend.answering(REPLY))
                .serve("mismatch", (request, listener) -> {
                    for (int id : TestChatBackend.TOKENIZER.encode("Not what was settled")) {
                        listener.onToken(id);
                    }
                    GenerationResult settled = TestChatBackend.honestResult(request, TestChatBackend.wouldWrite(REPLY));
                    return TestChatBackend.settled(TestChatBackend.jobId(request), settled);
                });
        try (GatewayHarness gateway = GatewayHarness.start(backend, GatewayConfig.loopback(0).withApiKey(API_KEY))) {
            OpenAiClientScripts.Run run = OpenAiClientScripts.run(WORK, List.of("node", "openai-client-test.mjs"), Map.of("VERITY_GATEWAY_URL",
                    gateway.server().url() + "/v1", "VERITY_GATEWAY_KEY", API_KEY, "VERITY_EXPECTED_REPLY", REPLY), 180);

            assertThat(run.exitCode()).as("exit code of the openai client script; its output:%n%s", run.output()).isZero();
            assertThat(run.output()).doesNotContain("FAIL").containsPattern("(\\d+)/\\1 checks passed with openai 5\\.");
            System.out.println(run.output());
        }
    }
}
