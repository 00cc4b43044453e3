package dev.verity.systemtest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The release archive under test ({@code -Dverity.archive=dist/verity-VERSION.tar.gz}, built by {@code ./verity dist}),
 * unpacked once per test JVM into a temporary folder that is deleted when the JVM exits. Every process a system test
 * starts is its {@code bin/verity}, with nothing else of this build on its class path.
 *
 * <p>Without the archive the tests fail, saying how to build it; they never skip.
 */
final class Release {
    static final String ARCHIVE_PROPERTY = "verity.archive";

    private static Release unpacked;

    private final Path home;

    private Release(Path home) {
        this.home = home;
    }

    /** The unpacked release; unpacks it on first use. Fails (an {@link AssertionError}) when there is no archive. */
    static synchronized Release get() {
        if (unpacked == null) {
            unpacked = unpack(archive());
        }
        return unpacked;
    }

    /** The archive that {@code -Dverity.archive} names; fails with what to do when it is not set or not there. */
    static Path archive() {
        String how = "The system tests run the release archive: build it with `./verity dist`, then run "
                + "`mvn -Psystem -pl systemtest -am verify -Dverity.archive=$PWD/dist/verity-VERSION.tar.gz` "
                + "(`./verity test` does both).";
        String value = System.getProperty(ARCHIVE_PROPERTY);
        if (value == null || value.isBlank() || value.startsWith("${")) {
            throw new AssertionError("-D" + ARCHIVE_PROPERTY + " is not set. " + how);
        }
        Path file = Path.of(value.strip());
        if (!file.isAbsolute()) {
            file = Path.of(System.getProperty("verity.root", ".")).resolve(file);
        }
        file = file.toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
            throw new AssertionError("-D" + ARCHIVE_PROPERTY + " names " + file + ", which is not there. " + how);
        }
        return file;
    }

    private static Release unpack(Path archive) {
        try {
            Path dir = Files.createTempDirectory("verity-release-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir), "verity-release-cleanup"));
            Process tar = new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", dir.toString())
                    .redirectErrorStream(true).start();
            String out = new String(tar.getInputStream().readAllBytes());
            if (!tar.waitFor(120, TimeUnit.SECONDS) || tar.exitValue() != 0) {
                throw new AssertionError("cannot unpack " + archive + " with tar: " + out);
            }
            List<Path> top;
            try (Stream<Path> s = Files.list(dir)) {
                top = s.toList();
            }
            if (top.size() != 1 || !Files.isExecutable(top.get(0).resolve("bin").resolve("verity"))) {
                throw new AssertionError(archive + " is not a Verity release archive (one folder verity-VERSION with "
                        + "bin/verity): it holds " + top);
            }
            return new Release(top.get(0));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + archive, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while unpacking " + archive, e);
        }
    }

    /** The unpacked {@code verity-VERSION} folder. */
    Path home() {
        return home;
    }

    /** {@code bin/verity}, the launcher. */
    Path launcher() {
        return home.resolve("bin").resolve("verity");
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            // a temporary folder: the system's cleaning takes what is left
        }
    }
}
