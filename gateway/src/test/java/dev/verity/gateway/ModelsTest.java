package dev.verity.gateway;

import static dev.verity.gateway.testing.OpenAiAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verity.gateway.backend.ServedModel;
import dev.verity.gateway.template.ChatMlTemplate;
import dev.verity.gateway.testing.GatewayHarness;
import dev.verity.gateway.testing.TestChatBackend;
import org.junit.jupiter.api.Test;

class ModelsTest {

    @Test
    void listsAndShowsTheServedModels() {
        TestChatBackend backend = new TestChatBackend()
                .serve("verity-chat", TestChatBackend.answering("hi"))
                .serve(new ServedModel("org/model-2", 1_700_000_123L, "someone", 2048, 1024, TestChatBackend.TOKENIZER,
                        new ChatMlTemplate()), TestChatBackend.answering("hi"));
        try (GatewayHarness gateway = GatewayHarness.start(backend)) {
            JsonNode list = gateway.get("/v1/models").json();
            assertThat(list.get("object").asText()).isEqualTo("list");
            assertThat(list.get("data")).hasSize(2);
            JsonNode first = list.get("data").get(0);
            assertThat(first.get("id").asText()).isEqualTo("verity-chat");
            assertThat(first.get("object").asText()).isEqualTo("model");
            assertThat(first.get("created").asLong()).isEqualTo(1_700_000_000L);
            assertThat(first.get("owned_by").asText()).isEqualTo("verity-test");

            GatewayHarness.Reply one = gateway.get("/v1/models/org/model-2");
            assertThat(one.status()).isEqualTo(200);
            assertThat(one.json().get("id").asText()).isEqualTo("org/model-2");
            assertThat(one.json().get("owned_by").asText()).isEqualTo("someone");
            assertThat(one.json().get("verity").get("contextLength").asInt()).isEqualTo(2048);
            assertThat(one.json().get("verity").get("maxNewTokens").asInt()).isEqualTo(1024);

            assertError(gateway.get("/v1/models/gpt-4o"), 404, "invalid_request_error", null, "model_not_found");
        }
    }
}
