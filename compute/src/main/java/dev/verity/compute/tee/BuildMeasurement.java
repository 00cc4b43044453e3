package dev.verity.compute.tee;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * The measurement of the node software build: SHA-384 over a canonical manifest of the files that make up the
 * distribution. 48 bytes, the size of AMD SEV-SNP's {@code MEASUREMENT} and Intel TDX's {@code MRTD}.
 *
 * <p>The manifest has one line per file, {@code name SP hex(SHA-256(content)) LF}, sorted by name (by the
 * name's UTF-8 bytes, unsigned; then by hash for equal names). The distribution is {@code cli/target/verity-cli.jar}
 * and every {@code *.jar} in {@code cli/target/lib}, each named by its file name. Only contents count: file
 * times, the order of a directory listing and the location of the distribution do not enter the measurement.
 * The build is reproducible (the jars carry the fixed {@code project.build.outputTimestamp}), so two clean builds
 * of the same sources give the same measurement; {@code .ci/reproducible-build} checks it on every CI run.
 *
 * <p>{@link #ofRunningBuild()} measures what this JVM runs from ({@code java.class.path}, following the
 * {@code Class-Path} of a jar's manifest). Started by the launcher ({@code -cp verity-cli.jar:lib/*}) it equals
 * {@link #ofDistribution}. A directory on the class path (a module's {@code target/classes} when run from tests
 * or an IDE) counts as one file named by its last three path components and a trailing {@code /}, for example
 * {@code core/target/classes/}, whose content hash is SHA-256 over its own listing: one line
 * {@code relative/path SP hex(SHA-256(content)) LF} per regular file below it, sorted the same way.
 *
 * <p>On confidential-VM hardware the launch measurement covers the VM image (firmware, kernel, initrd, command
 * line) that holds this build, not this build alone; see docs/ARCHITECTURE.md, "Build measurement".
 */
public final class BuildMeasurement {
    /** The digest algorithm of the measurement. */
    public static final String ALGORITHM = "SHA-384";
    /** Bytes in a measurement: SEV-SNP MEASUREMENT and TDX MRTD are 48 bytes. */
    public static final int SIZE = 48;
    /** The CLI jar's file name in a distribution. */
    public static final String CLI_JAR = "verity-cli.jar";
    /** The dependency folder's name in a distribution. */
    public static final String LIB_DIR = "lib";

    private static final HexFormat HEX = HexFormat.of();
    private static final Comparator<String> NAME_ORDER =
            (a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    private static final Object RUNNING_LOCK = new Object();
    private static volatile Measurement running;

    private BuildMeasurement() {}

    /**
     * A build measurement.
     *
     * @param digest SHA-384 over the manifest lines, each followed by LF (48 bytes)
     * @param manifestLines the manifest, sorted, without line ends: {@code name SP hex(SHA-256(content))}
     */
    public record Measurement(byte[] digest, List<String> manifestLines) {
        public Measurement {
            Objects.requireNonNull(digest, "digest");
            if (digest.length != SIZE) {
                throw new IllegalArgumentException("a build measurement is " + SIZE + " bytes, not " + digest.length);
            }
            digest = digest.clone();
            manifestLines = List.copyOf(manifestLines);
        }

        @Override
        public byte[] digest() {
            return digest.clone();
        }

        /** The digest as 96 lowercase hex characters. */
        public String hex() {
            return HEX.formatHex(digest);
        }

        /** The number of files measured. */
        public int files() {
            return manifestLines.size();
        }

        /** The manifest as it is hashed: every line followed by LF, UTF-8. */
        public byte[] manifest() {
            StringBuilder sb = new StringBuilder();
            for (String line : manifestLines) {
                sb.append(line).append('\n');
            }
            return sb.toString().getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Measurement m && Arrays.equals(digest, m.digest) && manifestLines.equals(m.manifestLines);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(digest);
        }

        @Override
        public String toString() {
            return "Measurement[" + ALGORITHM + " " + hex() + ", " + files() + " files]";
        }
    }

    /**
     * The measurement of a distribution: {@code cliJar} and every {@code *.jar} directly in {@code libDir}, each once
     * (the release archive keeps {@code verity-cli.jar} in {@code lib/} with the others).
     *
     * @throws UncheckedIOException when a file cannot be read, {@code cliJar} is not a file or {@code libDir} not
     *     a directory
     */
    public static Measurement ofDistribution(Path cliJar, Path libDir) {
        if (!Files.isRegularFile(cliJar)) {
            throw new UncheckedIOException("not a file: " + cliJar, new NoSuchFileException(cliJar.toString()));
        }
        if (!Files.isDirectory(libDir)) {
            throw new UncheckedIOException("not a directory: " + libDir, new NoSuchFileException(libDir.toString()));
        }
        List<Path> files = new ArrayList<>();
        files.add(cliJar);
        try (Stream<Path> s = Files.list(libDir)) {
            Path cli = cliJar.toAbsolutePath().normalize();
            s.filter(p -> p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p))
                    .filter(p -> !p.toAbsolutePath().normalize().equals(cli)).sorted().forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + libDir + ": " + e.getMessage(), e);
        }
        List<String> lines = new ArrayList<>();
        for (Path f : files) {
            lines.add(line(f.getFileName().toString(), sha256Hex(f)));
        }
        return ofManifest(lines);
    }

    /**
     * The measurement of the distribution in {@code distDir} (a {@code cli/target} folder): {@code verity-cli.jar}
     * and the jars in {@code lib/}.
     */
    public static Measurement ofDistribution(Path distDir) {
        return ofDistribution(distDir.resolve(CLI_JAR), distDir.resolve(LIB_DIR));
    }

    /**
     * The measurement of what this JVM runs: the entries of {@code java.class.path} (jars and other files by
     * content, directories by their listing; see the class comment), computed once per JVM.
     */
    public static Measurement ofRunningBuild() {
        Measurement m = running;
        if (m == null) {
            synchronized (RUNNING_LOCK) {
                m = running;
                if (m == null) {
                    m = ofClassPath(classPathEntries(System.getProperty("java.class.path", "")));
                    running = m;
                }
            }
        }
        return m;
    }

    /**
     * The measurement of a class path: each regular file as a line of its file name and content hash, each
     * directory as a line of its last three path components plus {@code /} and the hash of its listing; entries
     * that do not exist are skipped (as the JVM does), repeated entries are counted once.
     */
    public static Measurement ofClassPath(List<Path> entries) {
        List<String> lines = new ArrayList<>();
        Set<Path> seen = new LinkedHashSet<>();
        for (Path entry : entries) {
            Path p = entry.toAbsolutePath().normalize();
            if (!seen.add(p)) {
                continue;
            }
            if (Files.isDirectory(p)) {
                lines.add(line(directoryName(p), directoryHash(p)));
            } else if (Files.isRegularFile(p)) {
                lines.add(line(p.getFileName().toString(), sha256Hex(p)));
            }
        }
        return ofManifest(lines);
    }

    /** The measurement of manifest lines ({@code name SP hex}), which are sorted first. */
    public static Measurement ofManifest(List<String> lines) {
        List<String> sorted = new ArrayList<>(lines);
        for (String l : sorted) {
            if (l.indexOf('\n') >= 0 || l.indexOf('\r') >= 0) {
                throw new IllegalArgumentException("a manifest line holds a line break: " + l.strip());
            }
        }
        sorted.sort(Comparator.comparing(BuildMeasurement::nameOf, NAME_ORDER).thenComparing(NAME_ORDER));
        MessageDigest md = digest(ALGORITHM);
        for (String l : sorted) {
            md.update((l + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return new Measurement(md.digest(), sorted);
    }

    /**
     * The entries of a {@code java.class.path} value, with {@code dir/*} expanded to the jars in {@code dir} and,
     * for each jar, the entries of its manifest's {@code Class-Path} after it (as {@code java -jar} would load them).
     */
    static List<Path> classPathEntries(String classPath) {
        Set<Path> out = new LinkedHashSet<>();
        Deque<Path> todo = new ArrayDeque<>();
        for (String s : classPath.split(File.pathSeparator)) {
            if (s.isBlank()) {
                continue;
            }
            try {
                if (s.equals("*") || s.endsWith(File.separator + "*")) {
                    Path dir = Path.of(s.substring(0, s.length() - 1).isEmpty() ? "." : s.substring(0, s.length() - 1));
                    todo.addAll(jarsIn(dir));
                } else {
                    todo.add(Path.of(s));
                }
            } catch (InvalidPathException e) {
                // not a path this platform can name: the JVM cannot load from it either
            }
        }
        while (!todo.isEmpty()) {
            Path p = todo.removeFirst().toAbsolutePath().normalize();
            if (!out.add(p)) {
                continue;
            }
            if (Files.isRegularFile(p) && p.getFileName().toString().endsWith(".jar")) {
                todo.addAll(manifestClassPath(p));
            }
        }
        return new ArrayList<>(out);
    }

    private static List<Path> jarsIn(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jar"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The entries of a jar's {@code Class-Path} manifest attribute, resolved against the jar's folder. */
    private static List<Path> manifestClassPath(Path jar) {
        String cp;
        try (JarFile jf = new JarFile(jar.toFile(), false)) {
            Manifest mf = jf.getManifest();
            cp = mf == null ? null : mf.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
        } catch (IOException e) {
            return List.of(); // not a readable jar: it is measured by content all the same
        }
        if (cp == null || cp.isBlank()) {
            return List.of();
        }
        List<Path> out = new ArrayList<>();
        URI base = jar.getParent().toUri();
        for (String token : cp.trim().split("\\s+")) {
            try {
                URI u = base.resolve(new URI(token));
                if ("file".equals(u.getScheme())) {
                    out.add(Paths.get(u));
                }
            } catch (URISyntaxException | IllegalArgumentException e) {
                // an entry the JVM would ignore as well
            }
        }
        return out;
    }

    private static String directoryName(Path dir) {
        int n = dir.getNameCount();
        StringBuilder sb = new StringBuilder();
        for (int i = Math.max(0, n - 3); i < n; i++) {
            sb.append(dir.getName(i)).append('/');
        }
        return sb.length() == 0 ? "/" : sb.toString();
    }

    /** SHA-256 (hex) over the directory's listing: {@code relative/path SP hex(SHA-256(content)) LF}, sorted. */
    static String directoryHash(Path dir) {
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        List<String> lines = new ArrayList<>();
        for (Path f : files) {
            String rel = dir.relativize(f).toString().replace(File.separatorChar, '/');
            lines.add(line(rel, sha256Hex(f)));
        }
        lines.sort(Comparator.comparing(BuildMeasurement::nameOf, NAME_ORDER).thenComparing(NAME_ORDER));
        MessageDigest md = digest("SHA-256");
        for (String l : lines) {
            md.update((l + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return HEX.formatHex(md.digest());
    }

    /** SHA-256 of a file's content, hex. */
    static String sha256Hex(Path file) {
        MessageDigest md = digest("SHA-256");
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return HEX.formatHex(md.digest());
    }

    private static String line(String name, String hashHex) {
        if (name.indexOf('\n') >= 0 || name.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a file name with a line break cannot be measured: " + name.strip());
        }
        return name + " " + hashHex;
    }

    /** The name part of a manifest line (everything before the last space). */
    private static String nameOf(String line) {
        int sp = line.lastIndexOf(' ');
        return sp < 0 ? line : line.substring(0, sp);
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required by every Java platform", e);
        }
    }
}
