package dev.verity.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.verity.core.Hash;
import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The purity rule, enforced by the build: the deterministic core ({@code dev.verity.core},
 * {@code dev.verity.proofs}, {@code dev.verity.ledger}) does no IO, reads no clock, starts no thread,
 * draws no randomness, uses no floating point, never iterates in hash order, formats no text by the
 * default locale and reads nothing from the environment. See {@link PurityScanner} for the exact rules.
 */
class PurityTest {

    static final List<String> PURE_PACKAGES = List.of("dev.verity.core", "dev.verity.inference", "dev.verity.proofs", "dev.verity.protocol", "dev.verity.ledger");

    @Test
    void deterministicCoreIsPure() throws Exception {
        List<Path> roots = pureClassRoots();
        PurityScanner.Result result = new PurityScanner(roots, PURE_PACKAGES).scan();

        assertThat(result.scannedClasses())
                .as("the scan must see the core module (roots: %s)", roots)
                .contains(Hash.class.getName());
        if (!result.clean()) {
            fail("The deterministic core (" + String.join(", ", PURE_PACKAGES) + ") must stay pure.\n"
                    + result.report() + "scanned roots: " + roots);
        }
    }

    /**
     * The class-file roots (directories or jars) holding the pure packages on this test's class path:
     * the code source of {@link Hash}, the ledger's own {@code target/classes}, and every root that holds
     * one of the pure packages (which finds proofs as a jar or a directory, and copes with it being empty).
     * The ledger's test classes, this test among them, and the test classes of the pure modules on the class path are not
     * part of the pure core and are left out.
     */
    static List<Path> pureClassRoots() throws IOException, URISyntaxException {
        Path ownTestClasses = codeSource(PurityTest.class);
        Set<Path> roots = new LinkedHashSet<>();
        roots.add(codeSource(Hash.class));
        Path ledgerClasses = ownTestClasses.resolveSibling("classes");
        if (Files.isDirectory(ledgerClasses)) {
            roots.add(ledgerClasses);
        }
        ClassLoader loader = PurityTest.class.getClassLoader();
        for (String pkg : PURE_PACKAGES) {
            String dir = pkg.replace('.', '/');
            for (URL url : Collections.list(loader.getResources(dir))) {
                Path root = rootOf(url, dir);
                if (root != null) {
                    roots.add(root);
                }
            }
        }
        roots.remove(ownTestClasses);
        // the pure modules' own tests (the inference test jar the dispute tests use) are not part of the core either
        roots.removeIf(r -> r.getFileName() != null && (r.getFileName().toString().equals("test-classes")
                || r.getFileName().toString().endsWith("-tests.jar")));
        return new ArrayList<>(roots);
    }

    private static Path codeSource(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath().normalize();
    }

    /** The directory or jar that a package directory URL lies in. */
    private static Path rootOf(URL url, String packageDir) throws IOException, URISyntaxException {
        switch (url.getProtocol()) {
            case "file" -> {
                Path p = Path.of(url.toURI()).toAbsolutePath().normalize();
                for (int i = packageDir.split("/").length; i > 0; i--) {
                    p = p.getParent();
                }
                return p;
            }
            case "jar" -> {
                URL jar = ((JarURLConnection) url.openConnection()).getJarFileURL();
                return Path.of(jar.toURI()).toAbsolutePath().normalize();
            }
            default -> {
                return null;
            }
        }
    }
}
