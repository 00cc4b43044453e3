package dev.verity.compute.tee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verity.compute.tee.BuildMeasurement.Measurement;
import java.io.File;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildMeasurementTest {
    @TempDir
    Path tmp;

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private static byte[] sha384(String text) throws Exception {
        return MessageDigest.getInstance("SHA-384").digest(text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A distribution folder: verity-cli.jar and lib/ with the given jars (name, content pairs). */
    private Path distribution(String dir, String... libNamesAndContents) throws Exception {
        Path d = Files.createDirectories(tmp.resolve(dir));
        Files.write(d.resolve("verity-cli.jar"), bytes("cli"));
        Path lib = Files.createDirectories(d.resolve("lib"));
        for (int i = 0; i < libNamesAndContents.length; i += 2) {
            Files.write(lib.resolve(libNamesAndContents[i]), bytes(libNamesAndContents[i + 1]));
        }
        return d;
    }

    @Test
    void manifestIsSortedByNameAndHashedAsSpecified() throws Exception {
        Path d = distribution("dist", "b.jar", "bee", "a.jar", "ay", "Z.jar", "zed", "verity-core.jar", "core");
        Files.write(d.resolve("lib/README.txt"), bytes("not a jar"));
        Files.createDirectories(d.resolve("lib/nested.jar")); // a directory, not a jar file
        Measurement m = BuildMeasurement.ofDistribution(d.resolve("verity-cli.jar"), d.resolve("lib"));

        List<String> expected = List.of(
                "Z.jar " + sha256(bytes("zed")), // byte order: upper case first
                "a.jar " + sha256(bytes("ay")),
                "b.jar " + sha256(bytes("bee")),
                "verity-cli.jar " + sha256(bytes("cli")),
                "verity-core.jar " + sha256(bytes("core")));
        assertThat(m.manifestLines()).containsExactlyElementsOf(expected);
        assertThat(m.files()).isEqualTo(5);
        String manifest = String.join("\n", expected) + "\n";
        assertThat(m.manifest()).isEqualTo(bytes(manifest));
        assertThat(m.digest()).hasSize(48).isEqualTo(sha384(manifest));
        assertThat(m.hex()).hasSize(96).isEqualTo(HexFormat.of().formatHex(sha384(manifest)));
        assertThat(BuildMeasurement.ofDistribution(d)).isEqualTo(m);
    }

    @Test
    void theReleaseArchivesLayoutWithTheCliJarAmongItsLibrariesMeasuresTheSame() throws Exception {
        Path cargo = distribution("cargo", "a.jar", "ay", "verity-core.jar", "core");
        Path release = Files.createDirectories(tmp.resolve("release/lib"));
        Files.write(release.resolve("verity-cli.jar"), bytes("cli"));
        Files.write(release.resolve("a.jar"), bytes("ay"));
        Files.write(release.resolve("verity-core.jar"), bytes("core"));
        assertThat(BuildMeasurement.ofDistribution(release.resolve("verity-cli.jar"), release))
                .as("the CLI jar counted once").isEqualTo(BuildMeasurement.ofDistribution(cargo));
    }

    @Test
    void onlyContentAndNamesCount() throws Exception {
        Path a = distribution("one", "x.jar", "x", "y.jar", "y");
        Path b = distribution("two/elsewhere", "y.jar", "y", "x.jar", "x");
        Files.setLastModifiedTime(b.resolve("lib/x.jar"), FileTime.fromMillis(0));
        assertThat(BuildMeasurement.ofDistribution(b)).isEqualTo(BuildMeasurement.ofDistribution(a));
    }

    @Test
    void aChangedByteOrNameChangesTheMeasurement() throws Exception {
        Path d = distribution("dist", "x.jar", "content", "y.jar", "other");
        Measurement before = BuildMeasurement.ofDistribution(d);
        Files.write(d.resolve("lib/x.jar"), bytes("contenT"));
        Measurement changed = BuildMeasurement.ofDistribution(d);
        assertThat(changed.hex()).isNotEqualTo(before.hex());
        Files.write(d.resolve("lib/x.jar"), bytes("content"));
        assertThat(BuildMeasurement.ofDistribution(d)).isEqualTo(before);
        Files.move(d.resolve("lib/x.jar"), d.resolve("lib/x2.jar"));
        assertThat(BuildMeasurement.ofDistribution(d).hex()).isNotEqualTo(before.hex());
        Files.delete(d.resolve("lib/x2.jar"));
        assertThat(BuildMeasurement.ofDistribution(d).files()).isEqualTo(2);
    }

    @Test
    void missingDistributionIsAnError() {
        assertThatThrownBy(() -> BuildMeasurement.ofDistribution(tmp.resolve("nothing")))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("not a file");
    }

    @Test
    void directoriesAreHashedAsTheirListing() throws Exception {
        Path classes = Files.createDirectories(tmp.resolve("mod/target/classes"));
        Files.createDirectories(classes.resolve("a/b"));
        Files.write(classes.resolve("a/b/C.class"), bytes("class C"));
        Files.write(classes.resolve("a/A.class"), bytes("class A"));
        Files.write(classes.resolve("openapi.json"), bytes("{}"));
        Files.createDirectories(classes.resolve("empty"));
        Path jar = Files.write(tmp.resolve("dep-1.0.jar"), bytes("dep"));

        Measurement m = BuildMeasurement.ofClassPath(List.of(classes, jar, tmp.resolve("missing.jar"), classes));
        String listing = "a/A.class " + sha256(bytes("class A")) + "\n"
                + "a/b/C.class " + sha256(bytes("class C")) + "\n"
                + "openapi.json " + sha256(bytes("{}")) + "\n";
        assertThat(m.manifestLines()).containsExactly(
                "dep-1.0.jar " + sha256(bytes("dep")),
                "mod/target/classes/ " + sha256(bytes(listing)));

        // the same tree elsewhere, built in another order: the same line
        Path other = Files.createDirectories(tmp.resolve("x/y/mod/target/classes"));
        Files.write(other.resolve("openapi.json"), bytes("{}"));
        Files.createDirectories(other.resolve("a/b"));
        Files.write(other.resolve("a/A.class"), bytes("class A"));
        Files.write(other.resolve("a/b/C.class"), bytes("class C"));
        assertThat(BuildMeasurement.ofClassPath(List.of(jar, other))).isEqualTo(m);

        Files.write(other.resolve("a/b/C.class"), bytes("class D"));
        assertThat(BuildMeasurement.ofClassPath(List.of(jar, other)).hex()).isNotEqualTo(m.hex());
    }

    @Test
    void jarAndItsContentsAsDirectoryAreDifferentEntries() throws Exception {
        // a jar is hashed by its bytes, a directory by its listing: the two never collide by accident
        Path dir = Files.createDirectories(tmp.resolve("p/q/lib.jar"));
        Files.write(dir.resolve("f"), bytes("x"));
        Path file = Files.write(Files.createDirectories(tmp.resolve("r")).resolve("lib.jar"), bytes("f " + sha256(bytes("x")) + "\n"));
        Measurement asDir = BuildMeasurement.ofClassPath(List.of(dir));
        Measurement asFile = BuildMeasurement.ofClassPath(List.of(file));
        assertThat(asDir.manifestLines().get(0)).startsWith("p/q/lib.jar/ ");
        assertThat(asFile.manifestLines().get(0)).startsWith("lib.jar ");
        assertThat(asDir.hex()).isNotEqualTo(asFile.hex());
    }

    @Test
    void classPathExpandsWildcardsAndFollowsManifestClassPath() throws Exception {
        Path dist = Files.createDirectories(tmp.resolve("dist"));
        Path lib = Files.createDirectories(dist.resolve("lib"));
        Files.write(lib.resolve("dep-a.jar"), bytes("a"));
        Files.write(lib.resolve("dep-b.jar"), bytes("b"));
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().put(Attributes.Name.CLASS_PATH, "lib/dep-a.jar lib/dep-b.jar lib/gone.jar");
        Path cli = dist.resolve("verity-cli.jar");
        try (OutputStream os = Files.newOutputStream(cli); JarOutputStream jos = new JarOutputStream(os, mf)) {
            // a manifest is enough
        }
        Measurement launcher = BuildMeasurement.ofClassPath(BuildMeasurement.classPathEntries(
                cli + File.pathSeparator + lib + File.separator + "*"));
        Measurement javaJar = BuildMeasurement.ofClassPath(BuildMeasurement.classPathEntries(cli.toString()));
        assertThat(launcher.files()).isEqualTo(3);
        assertThat(javaJar).isEqualTo(launcher);
        assertThat(launcher).isEqualTo(BuildMeasurement.ofDistribution(dist));
    }

    @Test
    void runningBuildIsMeasuredOnce() {
        Measurement m = BuildMeasurement.ofRunningBuild();
        assertThat(m.digest()).hasSize(48);
        assertThat(m.files()).isPositive();
        // under Maven this module's classes are a directory on the class path
        assertThat(m.manifestLines()).anyMatch(l -> l.startsWith("compute/target/classes/ "));
        assertThat(BuildMeasurement.ofRunningBuild()).isSameAs(m);
    }

    @Test
    void measurementHoldsExactly48Bytes() {
        assertThatThrownBy(() -> new Measurement(new byte[32], List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("48");
        byte[] d = new byte[48];
        Measurement m = new Measurement(d, List.of());
        d[0] = 1;
        assertThat(m.digest()[0]).isZero();
        m.digest()[1] = 1;
        assertThat(m.digest()[1]).isZero();
    }
}
