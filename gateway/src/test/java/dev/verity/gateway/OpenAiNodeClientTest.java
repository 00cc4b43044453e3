package dev.verity.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.verity.gateway.testing.GatewayHarness;
import dev.verity.gateway.testing.TestChatBackend;
import dev.verity.protocol.generation.GenerationResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
    static final List<String> FILES = List.of("package.json", "package-lock.json", "openai-client-test.mjs");
    static final String INSTALL_HINT = "Install Node.js 18 or newer and npm: on Debian or Ubuntu `sudo apt-get install "
            + "nodejs npm` (./verity test does this when it may), elsewhere from https://nodejs.org. They must be on the PATH.";

    @Test
    void theOfficialOpenAiNodeClientWorksAgainstTheGateway() throws Exception {
        String nodeVersion = requireTool("node", "--version");
        requireTool("npm", "--version");
        assertThat(majorVersion(nodeVersion)).as("Node.js %s is too old for the openai package. %s", nodeVersion, INSTALL_HINT)
                .isGreaterThanOrEqualTo(18);
        installClient();

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
            Run run = run(List.of("node", "openai-client-test.mjs"), Map.of("VERITY_GATEWAY_URL",
                    gateway.server().url() + "/v1", "VERITY_GATEWAY_KEY", API_KEY, "VERITY_EXPECTED_REPLY", REPLY), 180);

            assertThat(run.exitCode()).as("exit code of the openai client script; its output:%n%s", run.output()).isZero();
            assertThat(run.output()).doesNotContain("FAIL").containsPattern("(\\d+)/\\1 checks passed with openai 5\\.");
            System.out.println(run.output());
        }
    }

    /** {@code npm ci} from the lock file, unless target/ already holds what that lock file installs. */
    private static void installClient() throws Exception {
        Files.createDirectories(WORK);
        for (String f : FILES) {
            Files.copy(SOURCES.resolve(f), WORK.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        Path stamp = WORK.resolve("installed-from.lock");
        byte[] lock = Files.readAllBytes(SOURCES.resolve("package-lock.json"));
        if (Files.isDirectory(WORK.resolve("node_modules").resolve("openai")) && Files.exists(stamp)
                && Arrays.equals(Files.readAllBytes(stamp), lock)) {
            return;
        }
        Run install = run(List.of("npm", "ci", "--prefer-offline", "--no-audit", "--no-fund"), Map.of(), 300);
        if (install.exitCode() != 0) {
            fail("npm ci of the openai package failed (exit " + install.exitCode() + "); it needs the npm registry once, "
                    + "or npm's cache (~/.npm) holding openai as package-lock.json pins it. Output:\n" + install.output());
        }
        Files.write(stamp, lock);
    }

    private static String requireTool(String tool, String versionFlag) {
        try {
            Run r = run(List.of(tool, versionFlag), Map.of(), 60);
            if (r.exitCode() == 0) {
                return r.output().strip();
            }
            fail("`" + tool + " " + versionFlag + "` failed (exit " + r.exitCode() + "): " + r.output() + "\n" + INSTALL_HINT);
        } catch (IOException e) {
            fail("`" + tool + "` is not installed, and this test drives the gateway with the official openai npm client. "
                    + INSTALL_HINT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted while running " + tool);
        }
        return null;
    }

    private static int majorVersion(String nodeVersion) {
        String digits = nodeVersion.replaceFirst("^v", "").split("\\.")[0];
        return Integer.parseInt(digits);
    }

    record Run(int exitCode, String output) {
    }

    /** Runs {@code command} in target/openai-client-test/, its output and errors together. */
    private static Run run(List<String> command, Map<String, String> env, long timeoutSeconds)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(WORK.toFile()).redirectErrorStream(true);
        Files.createDirectories(WORK);
        Path log = Files.createTempFile(WORK, "run-", ".log");
        pb.redirectOutput(log.toFile());
        pb.environment().putAll(env);
        pb.environment().put("npm_config_update_notifier", "false");
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s; its output:\n"
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.delete(log);
        return new Run(p.exitValue(), output);
    }
}
