package dev.verity.cli.lm;

import dev.verity.cli.BaseCommand;
import dev.verity.cli.CliException;
import dev.verity.cli.Output;
import dev.verity.modelhub.lm.corpus.CorpusDocument;
import dev.verity.modelhub.lm.corpus.CorpusFormatException;
import dev.verity.modelhub.lm.corpus.CorpusReport;
import dev.verity.modelhub.lm.corpus.CorpusSplit;
import dev.verity.modelhub.lm.corpus.DebianPackages;
import dev.verity.modelhub.lm.corpus.LanguageModelCorpus;
import dev.verity.modelhub.lm.corpus.TextStatistics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code verity lm corpus}: the training and held-out text, from Debian packages. */
@Command(name = "corpus", mixinStandardHelpOptions = true,
        description = {"Write the language-model corpus: the King James Bible (Debian package bible-kjv-text) and "
                + "Jane Austen's six novels (r-cran-janeaustenr), as clean UTF-8 text.", "",
            "Without --debs the packages are fetched with 'apt-get download' (nothing is installed). Either way they "
                    + "are unpacked with 'dpkg-deb -x' into a temporary directory.", "",
            "DIR receives train.txt, heldout.txt (one chapter per document, documents separated by an empty line; "
                    + "every " + CorpusSplit.HELD_OUT_EVERY + "th chapter of each source is held out) and README.txt.",
            "",
            "JSON: {\"out\": DIR, \"sources\": [{\"source\", \"trainingChapters\", \"heldOutChapters\", \"training\": "
                    + "{\"bytes\", \"characters\", \"words\"}, \"heldOut\": {...}}], \"training\": {...}, \"heldOut\": {...}}"})
public final class LmCorpusCommand extends BaseCommand {
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory to write the corpus to.")
    Path out;

    @Option(names = "--debs", paramLabel = "DIR",
            description = "Directory holding bible-kjv-text_*.deb and r-cran-janeaustenr_*.deb (default: fetch them with apt-get).")
    Path debs;

    @Override
    protected int execute() throws IOException {
        if (debs != null && !Files.isDirectory(debs)) {
            throw usage("--debs " + debs + " is not a directory");
        }
        Path work = Files.createTempDirectory("verity-lm-corpus");
        try {
            Path debDirectory = debs;
            if (debDirectory == null) {
                debDirectory = work.resolve("debs");
                out().note("fetching " + String.join(", ", DebianPackages.CORPUS_PACKAGES) + " with apt-get download ...");
                DebianPackages.download(DebianPackages.CORPUS_PACKAGES, debDirectory);
            }
            List<CorpusDocument> documents = LanguageModelCorpus.fromDebs(debDirectory, work.resolve("root"));
            CorpusReport report = LanguageModelCorpus.write(documents, out);
            print(report);
            return 0;
        } catch (IllegalStateException e) {
            throw new CliException("PACKAGES_UNAVAILABLE", e.getMessage(), null, e);
        } catch (CorpusFormatException e) {
            throw new CliException("BAD_PACKAGE_DATA", "the package data is not in the expected format: " + e.getMessage(), null, e);
        } finally {
            deleteRecursively(work);
        }
    }

    private void print(CorpusReport report) {
        if (out().json()) {
            List<Map<String, Object>> sources = new ArrayList<>();
            for (CorpusReport.SourceSize s : report.sources()) {
                sources.add(Output.object("source", s.source(), "trainingChapters", s.trainingDocuments(),
                        "heldOutChapters", s.heldOutDocuments(), "training", s.training(), "heldOut", s.heldOut()));
            }
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("out", out.toAbsolutePath().normalize().toString());
            doc.put("sources", sources);
            doc.put("training", report.training());
            doc.put("heldOut", report.heldOut());
            out().printJson(doc);
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        for (CorpusReport.SourceSize s : report.sources()) {
            rows.add(row(s.source(), s.trainingDocuments() + s.heldOutDocuments(), s.total()));
        }
        int trainingChapters = report.sources().stream().mapToInt(CorpusReport.SourceSize::trainingDocuments).sum();
        int heldOutChapters = report.sources().stream().mapToInt(CorpusReport.SourceSize::heldOutDocuments).sum();
        rows.add(row(out.resolve(LanguageModelCorpus.TRAIN_FILE).toString(), trainingChapters, report.training()));
        rows.add(row(out.resolve(LanguageModelCorpus.HELD_OUT_FILE).toString(), heldOutChapters, report.heldOut()));
        out().table(List.of("text", ">chapters", ">bytes", ">characters", ">words"), rows);
    }

    private static List<String> row(String name, int chapters, TextStatistics size) {
        return List.of(name, String.valueOf(chapters), String.valueOf(size.bytes()), String.valueOf(size.characters()),
                String.valueOf(size.words()));
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
