package dev.verity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verity.compute.tee.BuildMeasurement;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code verity measure} on a distribution folder. */
class MeasureCommandTest {
    @TempDir
    Path tmp;

    private Path distribution() throws Exception {
        Path d = Files.createDirectories(tmp.resolve("cli/target"));
        Files.writeString(d.resolve("verity-cli.jar"), "cli", StandardCharsets.UTF_8);
        Path lib = Files.createDirectories(d.resolve("lib"));
        Files.writeString(lib.resolve("verity-core-0.1.0-SNAPSHOT.jar"), "core", StandardCharsets.UTF_8);
        Files.writeString(lib.resolve("picocli-4.7.7.jar"), "picocli", StandardCharsets.UTF_8);
        return d;
    }

    @Test
    void jsonHasTheMeasurementAlgorithmAndFileCount() throws Exception {
        Path d = distribution();
        CliRun.Result r = CliRun.run("measure", "--dist", d.toString(), "--json");
        assertThat(r.exitCode()).as("%s", r).isZero();
        JsonNode doc = r.json();
        assertThat(doc.fieldNames()).toIterable().containsExactly("measurement", "algorithm", "files");
        assertThat(doc.get("measurement").asText()).matches("[0-9a-f]{96}")
                .isEqualTo(BuildMeasurement.ofDistribution(d).hex());
        assertThat(doc.get("algorithm").asText()).isEqualTo("SHA-384");
        assertThat(doc.get("files").asInt()).isEqualTo(3);
    }

    @Test
    void manifestIsPrintedOnRequest() throws Exception {
        Path d = distribution();
        CliRun.Result json = CliRun.run("measure", "--dist", d.toString(), "--json", "--manifest");
        assertThat(json.exitCode()).as("%s", json).isZero();
        JsonNode manifest = json.json().get("manifest");
        assertThat(manifest).hasSize(3);
        assertThat(manifest.get(0).asText()).startsWith("picocli-4.7.7.jar ");
        assertThat(manifest.get(2).asText()).startsWith("verity-core-0.1.0-SNAPSHOT.jar ");

        CliRun.Result human = CliRun.run("measure", "--dist", d.toString(), "--manifest");
        assertThat(human.exitCode()).as("%s", human).isZero();
        assertThat(human.out()).contains("measurement:").contains(BuildMeasurement.ofDistribution(d).hex())
                .contains("SHA-384").contains("files:").contains("verity-cli.jar ");
    }

    @Test
    void aFolderWithoutADistributionIsAnError() {
        CliRun.Result r = CliRun.run("measure", "--dist", tmp.toString(), "--json");
        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        assertThat(r.json().get("code").asText()).isEqualTo("NO_DISTRIBUTION");
        assertThat(r.json().get("message").asText()).contains("verity-cli.jar").contains("mvn package");
    }

    @Test
    void withoutDistTheFolderOfTheRunningClassesIsUsed() {
        // under Maven the classes run from cli/target/classes, so the distribution looked for is cli/target
        assertThat(MeasureCommand.runningDistribution().getFileName().toString()).isEqualTo("target");
    }
}
