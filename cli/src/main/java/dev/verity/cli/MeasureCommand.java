package dev.verity.cli;

import dev.verity.compute.tee.BuildMeasurement.Measurement;
import dev.verity.compute.tee.BuildMeasurement;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code verity measure}: the build measurement of the distribution this CLI runs from. */
@Command(name = "measure", mixinStandardHelpOptions = true,
        description = {"Print the measurement of this Verity build (SHA-384, 48 bytes).", "",
            "The measurement covers the distribution the command runs from: cli/target/verity-cli.jar and every jar "
                    + "in cli/target/lib. It is SHA-384 over one line per file, 'name SHA-256-hex', sorted by name. "
                    + "The build is reproducible: two clean builds of the same sources give the same measurement.",
            "",
            "JSON: {\"measurement\": HEX, \"algorithm\": \"SHA-384\", \"files\": N} (with --manifest also \"manifest\")."})
final class MeasureCommand extends BaseCommand {
    @Option(names = "--manifest", description = "Also print the manifest: one line per file, name and SHA-256.")
    boolean manifest;

    @Option(names = "--dist", paramLabel = "DIR",
            description = "Measure the distribution in DIR (a cli/target folder holding verity-cli.jar and lib/) "
                    + "instead of the one this command runs from.")
    Path dist;

    @Override
    protected int execute() {
        Path dir = dist != null ? dist : runningDistribution();
        Path jar = dir.resolve(BuildMeasurement.CLI_JAR);
        Path lib = dir.resolve(BuildMeasurement.LIB_DIR);
        if (!Files.isDirectory(lib) && Files.isRegularFile(jar)) {
            lib = dir; // the release archive: lib/ holds verity-cli.jar and the jars it needs
        }
        if (!Files.isRegularFile(jar) || !Files.isDirectory(lib)) {
            throw new CliException("NO_DISTRIBUTION", "no Verity distribution in " + dir.toAbsolutePath()
                    + " (it needs " + BuildMeasurement.CLI_JAR + " and " + BuildMeasurement.LIB_DIR
                    + "/; build it with 'mvn package')");
        }
        Measurement m = BuildMeasurement.ofDistribution(jar, lib);
        if (out().json()) {
            Map<String, Object> doc = Output.object("measurement", m.hex(), "algorithm", BuildMeasurement.ALGORITHM,
                    "files", m.files());
            if (manifest) {
                doc.put("manifest", m.manifestLines());
            }
            out().printJson(doc);
        } else {
            out().fields(Output.object("measurement", m.hex(), "algorithm", BuildMeasurement.ALGORITHM,
                    "files", m.files(), "distribution", dir.toAbsolutePath().normalize()));
            if (manifest) {
                out().line();
                m.manifestLines().forEach(out()::line);
            }
        }
        return 0;
    }

    /**
     * The cli/target folder this command runs from: the folder of verity-cli.jar, or, when the classes are run
     * from cli/target/classes (tests, an IDE), that folder's parent.
     */
    static Path runningDistribution() {
        CodeSource cs = MeasureCommand.class.getProtectionDomain().getCodeSource();
        if (cs == null || cs.getLocation() == null) {
            throw new CliException("NO_DISTRIBUTION", "cannot tell where this CLI runs from; give --dist DIR");
        }
        Path where;
        try {
            where = Path.of(cs.getLocation().toURI()).toAbsolutePath().normalize();
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new CliException("NO_DISTRIBUTION", "cannot tell where this CLI runs from (" + cs.getLocation()
                    + "); give --dist DIR");
        }
        Path parent = where.getParent();
        if (parent == null) {
            throw new CliException("NO_DISTRIBUTION", "cannot tell where this CLI runs from (" + where + "); give --dist DIR");
        }
        return parent;
    }
}
