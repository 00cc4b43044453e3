package dev.verity.gateway.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;

/** Checks of OpenAI's shapes. */
public final class OpenAiAssertions {

    private OpenAiAssertions() {
    }

    /** {@code reply} is OpenAI's error object with exactly these fields; returns its message. */
    public static String assertError(GatewayHarness.Reply reply, int status, String type, String param, String code) {
        assertThat(reply.status()).as("status of %s", reply.body()).isEqualTo(status);
        assertThat(reply.header("Content-Type")).startsWith("application/json");
        return assertErrorObject(reply.json(), type, param, code);
    }

    /** {@code body} is {@code {"error": {"message", "type", "param", "code"}}}; returns the message. */
    public static String assertErrorObject(JsonNode body, String type, String param, String code) {
        assertThat(fieldNames(body)).as("fields of %s", body).containsExactly("error");
        JsonNode error = body.get("error");
        assertThat(fieldNames(error)).as("fields of %s", error).containsExactlyInAnyOrder("message", "type", "param", "code");
        assertThat(error.get("message").isTextual()).isTrue();
        assertThat(error.get("message").asText()).isNotBlank();
        assertThat(error.get("type").asText()).as("type of %s", error).isEqualTo(type);
        assertThat(error.get("param").isNull() ? null : error.get("param").asText()).as("param of %s", error).isEqualTo(param);
        assertThat(error.get("code").isNull() ? null : error.get("code").asText()).as("code of %s", error).isEqualTo(code);
        return error.get("message").asText();
    }

    public static java.util.List<String> fieldNames(JsonNode node) {
        java.util.List<String> names = new java.util.ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
