package dev.verity.devnet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verity.core.Hash;
import dev.verity.sdk.api.JobView;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * The demo's chat scene: one question to the devnet's OpenAI-compatible gateway, answered by the shipped model on a
 * TEE node and settled on chain before the answer comes back.
 */
public final class DemoChat {
    static final String QUESTION = "Who was Mr. Darcy?";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The scene's line: what was asked and answered, the tokens, and how the job was verified and paid.
     *
     * @param error why there is no answer (null when there is one)
     */
    public record ChatLine(String question, String answer, String finishReason, int promptTokens, int completionTokens,
                    String job, String mode, String node, String status, long settledAtHeight, long fee, long millis,
                    String error) {}

    private DemoChat() {}

    static ChatLine scene(Devnet net, Duration timeout) {
        if (net.gatewayUrl() == null) {
            return null;
        }
        long t0 = System.nanoTime();
        try {
            String body = JSON.writeValueAsString(Map.of("model", dev.verity.compute.model.BundledModels.CHAT_NAME,
                    "messages", java.util.List.of(Map.of("role", "user", "content", QUESTION)),
                    "max_tokens", 32, "temperature", 0.7, "seed", 1));
            HttpResponse<String> res = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(net.gatewayUrl() + "/v1/chat/completions")).timeout(timeout)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            long millis = (System.nanoTime() - t0) / 1_000_000;
            JsonNode doc = JSON.readTree(res.body());
            if (res.statusCode() != 200) {
                return failed(millis, "the gateway answered " + res.statusCode() + ": " + doc.path("error").path("message").asText());
            }
            JsonNode choice = doc.path("choices").path(0);
            JsonNode verity = doc.path("verity");
            JobView job = net.client().job(Hash.fromHex(verity.path("job").asText()));
            return new ChatLine(QUESTION, choice.path("message").path("content").asText(), choice.path("finish_reason").asText(),
                    doc.path("usage").path("prompt_tokens").asInt(), doc.path("usage").path("completion_tokens").asInt(),
                    job.id(), job.mode(), job.assignedNode(), job.status(), job.settledAt(), job.fee(), millis, null);
        } catch (IOException | RuntimeException e) {
            return failed((System.nanoTime() - t0) / 1_000_000, "the chat request failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed((System.nanoTime() - t0) / 1_000_000, "interrupted");
        }
    }

    private static ChatLine failed(long millis, String why) {
        return new ChatLine(QUESTION, null, null, 0, 0, null, null, null, null, 0, 0, millis, why);
    }
}
