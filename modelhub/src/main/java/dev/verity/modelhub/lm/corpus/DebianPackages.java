package dev.verity.modelhub.lm.corpus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Fetches and unpacks the Debian packages the corpus is made from, with the system's own tools:
 * {@code apt-get download} (no root needed, nothing is installed) and {@code dpkg-deb -x}.
 */
public final class DebianPackages {
    /** The packages of the corpus. */
    public static final List<String> CORPUS_PACKAGES = List.of(KingJamesBible.SOURCE, JaneAustenNovels.SOURCE);

    private static final long TIMEOUT_MINUTES = 10;

    private DebianPackages() {
    }

    /** Downloads the packages' {@code .deb} files into {@code directory} with {@code apt-get download}. */
    public static void download(List<String> packages, Path directory) {
        List<String> command = new ArrayList<>(List.of("apt-get", "download"));
        command.addAll(packages);
        run(command, directory, "apt-get is not available on this machine (the corpus command needs a Debian or Ubuntu "
                + "system to fetch " + String.join(", ", packages) + "); fetch the .deb files elsewhere and pass --debs DIR");
    }

    /** The {@code .deb} file of {@code packageName} in {@code directory} ({@code NAME_VERSION_ARCH.deb}). */
    public static Path debFile(Path directory, String packageName) {
        try (Stream<Path> files = Files.list(directory)) {
            List<Path> matches = files
                    .filter(f -> f.getFileName().toString().startsWith(packageName + "_")
                            && f.getFileName().toString().endsWith(".deb"))
                    .sorted()
                    .toList();
            if (matches.isEmpty()) {
                throw new IllegalArgumentException("no " + packageName + "_*.deb in " + directory
                        + " (fetch it with 'apt-get download " + packageName + "')");
            }
            if (matches.size() > 1) {
                throw new IllegalArgumentException("several .deb files of " + packageName + " in " + directory + ": "
                        + matches.stream().map(p -> p.getFileName().toString()).toList() + "; keep one");
            }
            return matches.getFirst();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory + ": " + e.getMessage(), e);
        }
    }

    /** Extracts the files of a {@code .deb} under {@code root} with {@code dpkg-deb -x}. */
    public static void unpack(Path deb, Path root) {
        run(List.of("dpkg-deb", "-x", deb.toAbsolutePath().toString(), root.toAbsolutePath().toString()), root,
                "dpkg-deb is not available on this machine (it unpacks " + deb.getFileName()
                        + "); run the corpus command on a Debian or Ubuntu system");
    }

    private static void run(List<String> command, Path directory, String missingToolMessage) {
        Process process;
        try {
            Files.createDirectories(directory);
            process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException(missingToolMessage, e);
        }
        try {
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("'" + String.join(" ", command) + "' did not finish in " + TIMEOUT_MINUTES + " minutes");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("'" + String.join(" ", command) + "' failed with exit code "
                        + process.exitValue() + ": " + tail(output));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("'" + String.join(" ", command) + "' failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running '" + String.join(" ", command) + "'", e);
        }
    }

    private static String tail(String output) {
        String trimmed = output.strip();
        return trimmed.length() <= 600 ? trimmed : "..." + trimmed.substring(trimmed.length() - 600);
    }
}
