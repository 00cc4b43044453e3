package dev.verity.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.puritysamples.CleanSample;
import dev.verity.puritysamples.FloatRecord;
import dev.verity.puritysamples.UsesAtomic;
import dev.verity.puritysamples.UsesClock;
import dev.verity.puritysamples.UsesDouble;
import dev.verity.puritysamples.UsesEnvironment;
import dev.verity.puritysamples.UsesFile;
import dev.verity.puritysamples.UsesHashMap;
import dev.verity.puritysamples.UsesInstantNow;
import dev.verity.puritysamples.UsesLocale;
import dev.verity.puritysamples.UsesRandom;
import dev.verity.puritysamples.UsesSetOf;
import dev.verity.puritysamples.UsesSynchronized;
import dev.verity.puritysamples.UsesThread;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Proves that {@link PurityScanner} catches each kind of violation, using the impure samples in the test tree. */
class PurityScannerTest {

    private static final String SAMPLES = "dev.verity.puritysamples";

    private static Path testClasses;
    private static PurityScanner.Result result;

    @BeforeAll
    static void scanSamples() throws URISyntaxException {
        testClasses = Path.of(PurityScannerTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        result = new PurityScanner(List.of(testClasses), List.of(SAMPLES)).scan();
    }

    private static void assertReports(Class<?> sample, String member, String reason) {
        String prefix = sample.getName() + "." + member + ": ";
        assertThat(result.violationsOf(sample.getName()))
                .as("violations of %s", sample.getName())
                .anySatisfy(v -> assertThat(v).startsWith(prefix).contains(reason));
    }

    @Test
    void scansOnlyTheGivenPackages() {
        assertThat(result.scannedClasses())
                .contains(UsesHashMap.class.getName(), CleanSample.class.getName())
                .allSatisfy(c -> assertThat(c).startsWith(SAMPLES + "."));
    }

    @Test
    void reportsHashMap() {
        assertReports(UsesHashMap.class, "keys", "hash-order iteration: java.util.HashMap");
    }

    @Test
    void reportsDoubleArithmetic() {
        assertReports(UsesDouble.class, "average", "floating point: DDIV");
        assertReports(UsesDouble.class, "average", "floating point: L2D");
        assertReports(UsesDouble.class, "average", "floating point: DRETURN");
        assertReports(UsesDouble.class, "average", "floating point: constant 2.0");
        assertReports(UsesDouble.class, "average", "floating point: double in descriptor (JJ)D");
    }

    @Test
    void reportsFloatInARecordComponent() {
        assertReports(FloatRecord.class, "weight", "floating point: float in descriptor F");
    }

    @Test
    void reportsClockReads() {
        assertReports(UsesClock.class, "stamp", "clock: System.currentTimeMillis");
        assertReports(UsesInstantNow.class, "seconds", "clock: java.time.Instant.now()");
    }

    @Test
    void reportsFileAccess() {
        assertReports(UsesFile.class, "exists", "IO: java.io.File");
    }

    @Test
    void reportsRandomness() {
        assertReports(UsesRandom.class, "roll", "randomness: java.util.Random");
    }

    @Test
    void reportsThreads() {
        assertReports(UsesThread.class, "background", "threads: java.lang.Thread");
        assertReports(UsesAtomic.class, "next", "threads: java.util.concurrent.atomic.AtomicLong");
        assertReports(UsesAtomic.class, "COUNTER", "threads: java.util.concurrent.atomic.AtomicLong");
    }

    @Test
    void reportsSynchronization() {
        assertReports(UsesSynchronized.class, "next", "threads: synchronized method");
        assertReports(UsesSynchronized.class, "nextLocked", "threads: synchronized block (MONITORENTER)");
    }

    @Test
    void reportsSetOf() {
        assertReports(UsesSetOf.class, "first", "hash-order iteration: Set.of");
    }

    @Test
    void reportsLocaleDependentText() {
        assertReports(UsesLocale.class, "lower", "locale: String.toLowerCase() without a Locale");
        assertReports(UsesLocale.class, "label", "locale: String.format");
    }

    @Test
    void reportsEnvironmentReads() {
        assertReports(UsesEnvironment.class, "home", "environment: System.getenv");
        assertReports(UsesEnvironment.class, "user", "environment: System.getProperty");
        assertReports(UsesEnvironment.class, "cpus", "environment: java.lang.Runtime");
    }

    @Test
    void everyImpureSampleIsReported() {
        for (Class<?> impure : List.of(UsesHashMap.class, UsesDouble.class, UsesClock.class, UsesFile.class,
                UsesRandom.class, UsesThread.class, UsesSynchronized.class, UsesSetOf.class, UsesLocale.class,
                UsesEnvironment.class, UsesInstantNow.class, UsesAtomic.class, FloatRecord.class)) {
            assertThat(result.violationsOf(impure.getName())).as(impure.getName()).isNotEmpty();
        }
    }

    @Test
    void cleanSamplePasses() {
        assertThat(result.violationsOf(CleanSample.class.getName())).isEmpty();
        assertThat(result.scannedClasses()).contains(
                CleanSample.class.getName(),
                CleanSample.Transfer.class.getName(),
                CleanSample.Kind.class.getName(),
                CleanSample.CleanException.class.getName());
    }

    @Test
    void reportListsEveryViolation() {
        assertThat(result.clean()).isFalse();
        String report = result.report();
        for (String v : result.violations()) {
            assertThat(report).contains(v);
        }
    }

    @Test
    void readsJarsLikeDirectories(@TempDir Path tmp) throws IOException {
        Path jar = tmp.resolve("samples.jar");
        Path samplesDir = testClasses.resolve(SAMPLES.replace('.', '/'));
        try (OutputStream out = Files.newOutputStream(jar);
                ZipOutputStream zip = new ZipOutputStream(out);
                Stream<Path> files = Files.walk(samplesDir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                zip.putNextEntry(new ZipEntry(testClasses.relativize(f).toString().replace('\\', '/')));
                zip.write(Files.readAllBytes(f));
                zip.closeEntry();
            }
        }
        PurityScanner.Result fromJar = new PurityScanner(List.of(jar), List.of(SAMPLES)).scan();
        assertThat(fromJar).isEqualTo(result);
    }

    @Test
    void missingRootsAndEmptyPackagesAreFine(@TempDir Path tmp) {
        PurityScanner.Result empty = new PurityScanner(
                List.of(tmp.resolve("does-not-exist"), tmp, testClasses), List.of("dev.verity.nosuchpackage")).scan();
        assertThat(empty.scannedClasses()).isEmpty();
        assertThat(empty.clean()).isTrue();
    }
}
