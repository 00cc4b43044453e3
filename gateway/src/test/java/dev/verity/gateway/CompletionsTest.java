package dev.verity.gateway;

import static dev.verity.gateway.testing.OpenAiAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verity.gateway.testing.ByteLevelTestTokenizer;
import dev.verity.gateway.testing.GatewayHarness;
import dev.verity.gateway.testing.TestChatBackend;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The legacy {@code POST /v1/completions}: a prompt continued as it is, no chat template. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CompletionsTest {
    static final String COMPLETIONS = "/v1/completions";
    GatewayHarness gateway;

    @BeforeAll
    void start() {
        gateway = GatewayHarness.start(new TestChatBackend().serve("verity-chat", TestChatBackend.answering(" jumps over")));
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    @Test
    void continuesThePromptAsATextCompletion() {
        GatewayHarness.Reply r = gateway.post(COMPLETIONS, "{\"model\":\"verity-chat\",\"prompt\":\"The fox\",\"max_tokens\":50,"
                + "\"temperature\":0,\"seed\":3}");

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode body = r.json();
        assertThat(body.get("id").asText()).startsWith("cmpl-");
        assertThat(body.get("object").asText()).isEqualTo("text_completion");
        assertThat(body.get("created").asLong()).isEqualTo(GatewayHarness.CREATED);
        JsonNode choice = body.get("choices").get(0);
        // No chat template: <|im_end|> is no stop token here; the model's end of text ends the answer.
        assertThat(choice.get("text").asText()).isEqualTo(" jumps over");
        assertThat(choice.get("index").asInt()).isZero();
        assertThat(choice.get("logprobs").isNull()).isTrue();
        assertThat(choice.get("finish_reason").asText()).isEqualTo("stop");
        assertThat(body.get("usage").get("prompt_tokens").asInt()).isEqualTo("The fox".length());
        assertThat(body.get("usage").get("completion_tokens").asInt()).isEqualTo(" jumps over".length() + 1);
        assertThat(body.get("verity").get("status").asText()).isEqualTo("SETTLED");
        assertThat(r.header("Verity-Job")).isEqualTo(body.get("verity").get("job").asText());

        var sent = gateway.backend().lastRequest();
        assertThat(sent.prompt()).containsExactly(TestChatBackend.TOKENIZER.encode("The fox"));
        assertThat(sent.stopSequences()).isEmpty();
        assertThat(sent.temperatureMilli()).isZero();
        assertThat(sent.seed()).isEqualTo(3);
    }

    @Test
    void streamsTextCompletionChunks() {
        GatewayHarness.Reply r = gateway.post(COMPLETIONS, "{\"model\":\"verity-chat\",\"prompt\":[\"The fox\"],\"stream\":true,"
                + "\"stop\":[\" over\"],\"stream_options\":{\"include_usage\":true}}");

        List<JsonNode> chunks = r.jsonEvents();
        assertThat(r.events().get(r.events().size() - 1)).isEqualTo("[DONE]");
        StringBuilder text = new StringBuilder();
        for (JsonNode c : chunks.subList(0, chunks.size() - 2)) {
            assertThat(c.get("object").asText()).isEqualTo("text_completion");
            assertThat(c.get("choices").get(0).get("finish_reason").isNull()).isTrue();
            text.append(c.get("choices").get(0).get("text").asText());
        }
        assertThat(text.toString()).isEqualTo(" jumps");
        JsonNode finish = chunks.get(chunks.size() - 2);
        assertThat(finish.get("choices").get(0).get("text").asText()).isEmpty();
        assertThat(finish.get("choices").get(0).get("finish_reason").asText()).isEqualTo("stop");
        assertThat(finish.has("verity")).isTrue();
        JsonNode usage = chunks.get(chunks.size() - 1);
        assertThat(usage.get("choices")).isEmpty();
        assertThat(usage.get("usage").get("completion_tokens").asInt()).isEqualTo(" jumps over".length());
    }

    @Test
    void takesTokenIdsAsThePrompt() {
        int[] ids = TestChatBackend.TOKENIZER.encode("The fox");
        String list = java.util.Arrays.toString(ids).replace(" ", "");

        assertThat(gateway.post(COMPLETIONS, "{\"model\":\"verity-chat\",\"prompt\":" + list + "}").status()).isEqualTo(200);

        assertThat(gateway.backend().lastRequest().prompt()).containsExactly(ids);
    }

    @Test
    void anEmptyPromptStartsFromEndOfText() {
        assertThat(gateway.post(COMPLETIONS, "{\"model\":\"verity-chat\",\"prompt\":\"\"}").status()).isEqualTo(200);

        assertThat(gateway.backend().lastRequest().prompt()).containsExactly(ByteLevelTestTokenizer.END_OF_TEXT);
    }

    @ParameterizedTest(name = "[{index}] {1} {2}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "{\"model\":\"verity-chat\"}                                   | prompt      | missing_required_parameter",
            "{\"model\":\"verity-chat\",\"prompt\":[\"a\",\"b\"]}          | prompt      | unsupported_value",
            "{\"model\":\"verity-chat\",\"prompt\":[[1,2]]}                | prompt      | unsupported_value",
            "{\"model\":\"verity-chat\",\"prompt\":[]}                     | prompt      | empty_array",
            "{\"model\":\"verity-chat\",\"prompt\":7}                      | prompt      | invalid_type",
            "{\"model\":\"verity-chat\",\"prompt\":[1,-1]}                 | prompt[1]   | integer_below_min_value",
            "{\"model\":\"verity-chat\",\"prompt\":[5000]}                 | prompt      | invalid_value",
            "{\"model\":\"verity-chat\",\"prompt\":\"a\",\"echo\":true}    | echo        | unsupported_parameter",
            "{\"model\":\"verity-chat\",\"prompt\":\"a\",\"best_of\":2}    | best_of     | unsupported_parameter",
            "{\"model\":\"verity-chat\",\"prompt\":\"a\",\"logprobs\":2}   | logprobs    | unsupported_parameter",
            "{\"model\":\"verity-chat\",\"prompt\":\"a\",\"suffix\":\"z\"} | suffix      | unsupported_parameter",
            "{\"model\":\"verity-chat\",\"prompt\":\"a\",\"n\":3}          | n           | unsupported_value",
            "{\"model\":\"verity-chat\",\"prompt\":\"a\",\"max_tokens\":-5} | max_tokens | integer_below_min_value",
    })
    void aWrongParameterIsA400(String body, String param, String code) {
        assertError(gateway.post(COMPLETIONS, body), 400, "invalid_request_error", param, code);
    }

    @Test
    void anUnknownModelIs404() {
        assertError(gateway.post(COMPLETIONS, "{\"model\":\"davinci-002\",\"prompt\":\"a\"}"), 404, "invalid_request_error",
                null, "model_not_found");
    }
}
