package dev.verity.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Chat through a running gateway, end to end: {@code --requests} streamed chat completions one after another (each a
 * generation job submitted, assigned, run by a node that streams its tokens, and settled before the answer ends), and
 * prints the time to the first content chunk, the time to the last, the generated tokens per second over the whole
 * request and over the streaming part, median and p90.
 *
 * <pre>java -cp 'bench/target/classes:bench/target/lib/*' dev.verity.bench.GatewayChatLatency --gateway URL
 *     [--model verity-chat-tiny] [--requests 20] [--max-tokens 32]</pre>
 */
public final class GatewayChatLatency {
    private static final ObjectMapper JSON = new ObjectMapper();

    private GatewayChatLatency() {}

    record Sample(long firstMillis, long totalMillis, int completionTokens, String mode) {}

    public static void main(String[] args) throws Exception {
        String gateway = null;
        String model = "verity-chat-tiny";
        int requests = 20;
        int maxTokens = 32;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--gateway" -> gateway = args[++i];
                case "--model" -> model = args[++i];
                case "--requests" -> requests = Integer.parseInt(args[++i]);
                case "--max-tokens" -> maxTokens = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (gateway == null) {
            throw new IllegalArgumentException("give --gateway URL (./verity devnet prints it)");
        }
        HttpClient http = HttpClient.newHttpClient();
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i <= requests; i++) {
            Sample s = once(http, gateway, model, maxTokens, i);
            if (i > 0) { // the first request warms up the node's model and the gateway
                samples.add(s);
            }
        }
        long[] first = samples.stream().mapToLong(Sample::firstMillis).sorted().toArray();
        long[] total = samples.stream().mapToLong(Sample::totalMillis).sorted().toArray();
        double[] perSecond = samples.stream().mapToDouble(s -> s.completionTokens() * 1000.0 / s.totalMillis()).sorted().toArray();
        double[] streaming = samples.stream().filter(s -> s.totalMillis() > s.firstMillis())
                .mapToDouble(s -> (s.completionTokens() - 1) * 1000.0 / (s.totalMillis() - s.firstMillis())).sorted().toArray();
        System.out.printf(Locale.ROOT, "%d streamed chat requests of up to %d tokens to %s (%s), one at a time; mode %s%n",
                samples.size(), maxTokens, gateway, model, samples.get(0).mode());
        System.out.printf(Locale.ROOT, "  time to first content chunk: median %d ms, p90 %d ms%n", first[first.length / 2],
                first[(int) (first.length * 0.9)]);
        System.out.printf(Locale.ROOT, "  time to the end (settled):   median %d ms, p90 %d ms%n", total[total.length / 2],
                total[(int) (total.length * 0.9)]);
        System.out.printf(Locale.ROOT, "  generated tokens per second, whole request: median %.1f%n", perSecond[perSecond.length / 2]);
        if (streaming.length > 0) {
            System.out.printf(Locale.ROOT, "  generated tokens per second after the first chunk: median %.1f%n",
                    streaming[streaming.length / 2]);
        }
        System.out.printf(Locale.ROOT, "  completion tokens: %s%n",
                Arrays.toString(samples.stream().mapToInt(Sample::completionTokens).toArray()));
    }

    private static Sample once(HttpClient http, String gateway, String model, int maxTokens, int seed) throws Exception {
        String body = JSON.writeValueAsString(Map.of("model", model, "stream", true, "max_tokens", maxTokens, "seed", seed,
                "temperature", 0.8, "stream_options", Map.of("include_usage", true),
                "messages", List.of(Map.of("role", "user", "content", "Tell me of Emma and Mr. Knightley."))));
        long t0 = System.nanoTime();
        HttpResponse<InputStream> res = http.send(HttpRequest.newBuilder(URI.create(gateway + "/v1/chat/completions"))
                .timeout(Duration.ofMinutes(2)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofInputStream());
        if (res.statusCode() != 200) {
            throw new IllegalStateException("the gateway answered " + res.statusCode() + ": "
                    + new String(res.body().readAllBytes(), StandardCharsets.UTF_8));
        }
        long first = -1;
        int tokens = 0;
        String mode = "?";
        try (BufferedReader in = new BufferedReader(new InputStreamReader(res.body(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (!line.startsWith("data: ") || line.equals("data: [DONE]")) {
                    continue;
                }
                JsonNode chunk = JSON.readTree(line.substring(6));
                String content = chunk.path("choices").path(0).path("delta").path("content").asText("");
                if (first < 0 && !content.isEmpty()) {
                    first = (System.nanoTime() - t0) / 1_000_000;
                }
                if (chunk.hasNonNull("usage")) {
                    tokens = chunk.path("usage").path("completion_tokens").asInt();
                }
                if (chunk.has("verity")) {
                    mode = chunk.path("verity").path("mode").asText();
                }
            }
        }
        long total = (System.nanoTime() - t0) / 1_000_000;
        return new Sample(first < 0 ? total : first, total, tokens, mode);
    }
}
