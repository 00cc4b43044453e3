package dev.verity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.compute.model.BundledModels;
import dev.verity.core.Hash;
import dev.verity.core.PublicKey;
import dev.verity.protocol.generation.GenerationResult;
import dev.verity.sdk.api.JobView;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import dev.verity.devnet.Devnet;
import dev.verity.testkit.OpenAiClientScripts;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The devnet serves chat: its {@code verity gateway} process, in front of a validator process and two compute-node
 * processes that run the shipped model with ONNX Runtime in TEE mode and stream its tokens, answers the official
 * {@code openai} npm client ({@code gateway/src/test/js/devnet-chat-test.mjs}): plain and streamed chat, a completion,
 * and errors, each answer settled on chain with its {@code verity} object.
 */
class DevnetChatTest {
    static final Path SOURCES = Path.of("..", "gateway", "src", "test", "js");
    static final Path WORK = Path.of("target", "devnet-chat-client");

    @TempDir
    Path dir;

    @Test
    void theDevnetsGatewayAnswersTheOpenAiClientWithSettledTeeJobs() throws Exception {
        OpenAiClientScripts.install(SOURCES, WORK, List.of("devnet-chat-test.mjs"));
        try (Devnet net = Devnet.start(new Devnet.Options(dir, 0, 100, 2).withLauncher(VerityCli.programLauncher()))) {
            assertThat(net.gatewayUrl()).as("the devnet's gateway").startsWith("http://127.0.0.1:");
            OpenAiClientScripts.Run run = OpenAiClientScripts.run(WORK, List.of("node", "devnet-chat-test.mjs"),
                    Map.of("VERITY_GATEWAY_URL", net.gatewayUrl() + "/v1", "VERITY_MODEL", BundledModels.CHAT_NAME), 300);
            System.out.println(run.output());
            assertThat(run.exitCode()).as("exit code of the openai client script; its output:%n%s", run.output()).isZero();
            assertThat(run.output()).doesNotContain("FAIL").containsPattern("(\\d+)/\\1 checks passed with openai 5\\.");

            // The node that ran the chat job streamed its tokens from the endpoint it announced on chain, and they are
            // the tokens the chain settled.
            Matcher m = Pattern.compile("\\(job ([0-9a-f]{64})\\)").matcher(run.output());
            assertThat(m.find()).as("the script names the chat job").isTrue();
            JobView job = net.client().job(Hash.fromHex(m.group(1)));
            String endpoint = net.client().node(PublicKey.fromHex(job.assignedNode())).endpoint();
            assertThat(endpoint).as("the node's token stream endpoint on chain").startsWith("http://127.0.0.1:");
            HttpResponse<String> stream = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(endpoint + "/v1/jobs/" + job.id() + "/tokens")).build(), HttpResponse.BodyHandlers.ofString());
            List<Integer> streamed = new ArrayList<>();
            Matcher token = Pattern.compile("\"id\":(\\d+)").matcher(stream.body());
            while (token.find()) {
                streamed.add(Integer.parseInt(token.group(1)));
            }
            int[] settled = GenerationResult.decode(Base64.getDecoder().decode(job.output())).tokens();
            assertThat(streamed).as("tokens streamed by the node").containsExactlyElementsOf(
                    Arrays.stream(settled).boxed().toList());
            assertThat(stream.body()).contains("event: done");
        }
    }
}
