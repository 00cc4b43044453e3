package dev.verity.cli;

import dev.verity.gateway.GatewayConfig;
import dev.verity.gateway.GatewayServer;
import dev.verity.gateway.network.HuggingFaceTextTokenizer;
import dev.verity.gateway.network.NetworkChatBackend;
import dev.verity.gateway.template.ChatMlTemplate;
import dev.verity.gateway.tokenizer.TextTokenizer;
import dev.verity.protocol.VerificationMode;
import dev.verity.sdk.VerityClient;
import dev.verity.sdk.Wallet;
import dev.verity.sdk.api.ModelView;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code verity gateway}: the OpenAI-compatible chat API in front of the network, in the foreground. */
@Command(name = "gateway", mixinStandardHelpOptions = true,
        description = {"Serve an OpenAI-compatible API (GET /v1/models, POST /v1/chat/completions, POST /v1/completions) "
                + "in front of the network, in the foreground (Ctrl-C stops it).", "",
            "Each request becomes a generation job signed with --key and paid from its account; the tokens stream from the "
                    + "node as it makes them, and the answer is the result the chain holds, with a 'verity' object (job, "
                    + "mode, node, settlement, receipt) and Verity-* headers. The models served are those registered with "
                    + "a TOKEN_GENERATION schema. See docs/GATEWAY.md."})
final class GatewayCommand extends BaseCommand {
    @Mixin
    ApiOptions api;

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8080",
            description = "Where to serve the API (default: ${DEFAULT-VALUE}, this machine only). Any other address needs "
                    + "--api-key, since every answer is paid from the gateway's account.")
    String listen;

    @Option(names = "--api-key", paramLabel = "KEY", defaultValue = "${env:VERITY_GATEWAY_API_KEY}",
            description = "The bearer token clients must send (default: $VERITY_GATEWAY_API_KEY; none on loopback).")
    String apiKey;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "TEE",
            description = "How each job's result must be verified: NONE, TEE, OPTIMISTIC, SAMPLED or ZK (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--fallback", paramLabel = "MODES", split = ",",
            description = "Modes a job may fall back to, in order, when its mode cannot be served (a revoked TEE vendor).")
    List<String> fallback = new ArrayList<>();

    @Option(names = "--tokenizer", paramLabel = "MODEL=FILE",
            description = "The tokenizer.json of a model (by name or hash); the models without one use the project's shipped "
                    + "tokenizer.")
    Map<String, Path> tokenizers = new LinkedHashMap<>();

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "How long one request may wait for its job to settle (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Override
    protected int execute() throws Exception {
        VerificationMode m;
        List<VerificationMode> fallbacks = new ArrayList<>();
        try {
            m = VerificationMode.parse(mode);
            for (String f : fallback) {
                fallbacks.add(VerificationMode.parse(f));
            }
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        GatewayConfig config;
        try {
            config = GatewayConfig.listen(listen, apiKey == null || apiKey.isBlank() ? null : apiKey);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        VerityClient client = api.client();
        Wallet wallet = new Wallet(client, api.loadKey());
        HuggingFaceTextTokenizer shipped = HuggingFaceTextTokenizer.shipped();
        Map<String, TextTokenizer> loaded = new ConcurrentHashMap<>();
        NetworkChatBackend backend = new NetworkChatBackend(client, wallet, m, fallbacks, (ModelView model) -> {
            Path file = tokenizers.getOrDefault(model.name(), tokenizers.get(model.id()));
            return file == null ? shipped : loaded.computeIfAbsent(file.toString(), f -> HuggingFaceTextTokenizer.load(file));
        }, new ChatMlTemplate(), Duration.ofSeconds(timeoutSeconds));
        GatewayServer server = new GatewayServer(backend, config).start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            client.close();
        }, "verity-gateway-shutdown"));
        List<String> models = backend.models().stream().map(s -> s.id()).toList();
        if (out().json()) {
            out().printJson(Map.of("gateway", server.url(), "account", wallet.publicKey().hex(), "mode", m.name(),
                    "models", models));
        } else {
            out().line("gateway serving " + server.url() + " (account " + wallet.publicKey().hex() + ", mode " + m
                    + ", models " + models + ")");
        }
        new CountDownLatch(1).await();
        return 0;
    }
}
