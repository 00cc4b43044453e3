package dev.verity.modelhub.lm.corpus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The text corpus of the project's small language model: the King James Bible ({@code bible-kjv-text}) and Jane
 * Austen's six novels ({@code r-cran-janeaustenr}), public-domain English from Debian packages, as clean UTF-8 and
 * split into training and held-out text by {@link CorpusSplit}.
 *
 * <p>Written as a directory:
 * <pre>
 *   train.txt    the training documents
 *   heldout.txt  the held-out documents
 *   README.txt   where it comes from, the split rule and the sizes
 * </pre>
 * In both text files a document (one chapter) is its verses or paragraphs, one per line, and documents are separated
 * by one empty line. The Bible comes first, then the novels.
 */
public final class LanguageModelCorpus {
    public static final String TRAIN_FILE = "train.txt";
    public static final String HELD_OUT_FILE = "heldout.txt";
    public static final String README_FILE = "README.txt";

    /** Where the packages put their data, relative to the root they are unpacked under. */
    public static final Path BIBLE_DATA = Path.of("usr", "lib", "bible.data");
    public static final Path AUSTEN_DATABASE = Path.of("usr", "lib", "R", "site-library", "janeaustenr", "data", "Rdata");

    private LanguageModelCorpus() {
    }

    /** Fetches the packages with apt-get into {@code debDirectory}, then {@link #fromDebs reads them}. */
    public static List<CorpusDocument> download(Path debDirectory, Path unpackDirectory) {
        DebianPackages.download(DebianPackages.CORPUS_PACKAGES, debDirectory);
        return fromDebs(debDirectory, unpackDirectory);
    }

    /** Unpacks the corpus packages' {@code .deb} files from {@code debDirectory} and reads their documents. */
    public static List<CorpusDocument> fromDebs(Path debDirectory, Path unpackDirectory) {
        for (String packageName : DebianPackages.CORPUS_PACKAGES) {
            DebianPackages.unpack(DebianPackages.debFile(debDirectory, packageName), unpackDirectory);
        }
        return fromUnpacked(unpackDirectory);
    }

    /** The documents of the packages unpacked under {@code root}: the Bible's chapters, then the novels'. */
    public static List<CorpusDocument> fromUnpacked(Path root) {
        Path bible = root.resolve(BIBLE_DATA);
        Path austen = root.resolve(AUSTEN_DATABASE);
        if (!Files.isRegularFile(bible)) {
            throw new IllegalArgumentException("no " + BIBLE_DATA + " under " + root + " (is bible-kjv-text unpacked there?)");
        }
        if (!Files.isRegularFile(austen.resolveSibling("Rdata.rdx"))) {
            throw new IllegalArgumentException("no " + AUSTEN_DATABASE + ".rdx under " + root
                    + " (is r-cran-janeaustenr unpacked there?)");
        }
        List<CorpusDocument> documents = new ArrayList<>(KingJamesBible.chapters(BibleDataFile.read(bible)));
        documents.addAll(JaneAustenNovels.chapters(RLazyLoadDatabase.open(austen)));
        return documents;
    }

    /** Splits the documents and writes the corpus directory; returns the sizes it wrote. */
    public static CorpusReport write(List<CorpusDocument> documents, Path directory) {
        CorpusSplit split = CorpusSplit.of(documents);
        CorpusReport report = CorpusReport.of(split);
        try {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve(TRAIN_FILE), CorpusSplit.text(split.training()), StandardCharsets.UTF_8);
            Files.writeString(directory.resolve(HELD_OUT_FILE), CorpusSplit.text(split.heldOut()), StandardCharsets.UTF_8);
            Files.writeString(directory.resolve(README_FILE), report.describe(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the corpus to " + directory + ": " + e.getMessage(), e);
        }
        return report;
    }
}
