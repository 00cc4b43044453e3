package dev.verity.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the project's Node.js scripts that drive a gateway with the official {@code openai} npm client (in
 * {@code gateway/src/test/js}, pinned by its {@code package-lock.json}): installs the client with {@code npm ci} into a
 * work folder under {@code target/}, from npm's cache when it holds it, and runs a script there. Without Node.js 18+
 * and npm a test fails and says how to install them; it never skips.
 */
public final class OpenAiClientScripts {
    public static final List<String> FILES = List.of("package.json", "package-lock.json");
    public static final String INSTALL_HINT = "Install Node.js 18 or newer and npm: on Debian or Ubuntu `sudo apt-get install "
            + "nodejs npm` (./verity test does this when it may), elsewhere from https://nodejs.org. They must be on the PATH.";

    /** A finished run: its exit code and its output and errors together. */
    public record Run(int exitCode, String output) {}

    private OpenAiClientScripts() {}

    /**
     * Copies the package files and {@code scripts} from {@code sources} into {@code work} and installs the client there,
     * unless {@code work} already holds what that lock file installs.
     *
     * @throws AssertionError when Node.js or npm is missing or too old, or the install fails, saying what to do
     */
    public static void install(Path sources, Path work, List<String> scripts) throws IOException, InterruptedException {
        String nodeVersion = requireTool(work, "node", "--version");
        requireTool(work, "npm", "--version");
        int major = Integer.parseInt(nodeVersion.strip().replaceFirst("^v", "").split("\\.")[0]);
        if (major < 18) {
            throw new AssertionError("Node.js " + nodeVersion.strip() + " is too old for the openai package. " + INSTALL_HINT);
        }
        Files.createDirectories(work);
        for (String f : FILES) {
            Files.copy(sources.resolve(f), work.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        for (String f : scripts) {
            Files.copy(sources.resolve(f), work.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        Path stamp = work.resolve("installed-from.lock");
        byte[] lock = Files.readAllBytes(sources.resolve("package-lock.json"));
        if (Files.isDirectory(work.resolve("node_modules").resolve("openai")) && Files.exists(stamp)
                && Arrays.equals(Files.readAllBytes(stamp), lock)) {
            return;
        }
        Run install = run(work, List.of("npm", "ci", "--prefer-offline", "--no-audit", "--no-fund"), Map.of(), 300);
        if (install.exitCode() != 0) {
            throw new AssertionError("npm ci of the openai package failed (exit " + install.exitCode() + "); it needs the npm "
                    + "registry once, or npm's cache (~/.npm) holding openai as package-lock.json pins it. Output:\n"
                    + install.output());
        }
        Files.write(stamp, lock);
    }

    private static String requireTool(Path work, String tool, String versionFlag) throws InterruptedException {
        try {
            Files.createDirectories(work);
            Run r = run(work, List.of(tool, versionFlag), Map.of(), 60);
            if (r.exitCode() == 0) {
                return r.output().strip();
            }
            throw new AssertionError("`" + tool + " " + versionFlag + "` failed (exit " + r.exitCode() + "): " + r.output()
                    + "\n" + INSTALL_HINT);
        } catch (IOException e) {
            throw new AssertionError("`" + tool + "` is not installed, and this test drives the gateway with the official "
                    + "openai npm client. " + INSTALL_HINT);
        }
    }

    /** Runs {@code command} in {@code work} with {@code env} added, killing it after {@code timeoutSeconds}. */
    public static Run run(Path work, List<String> command, Map<String, String> env, long timeoutSeconds)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true);
        Path log = Files.createTempFile(work, "run-", ".log");
        pb.redirectOutput(log.toFile());
        pb.environment().putAll(env);
        pb.environment().put("npm_config_update_notifier", "false");
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s; its output:\n"
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.delete(log);
        return new Run(p.exitValue(), output);
    }
}
