package dev.verity.modelhub.lm.corpus;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The sizes of a written corpus.
 *
 * @param sources  per source, in corpus order
 * @param training the whole training file
 * @param heldOut  the whole held-out file
 */
public record CorpusReport(List<SourceSize> sources, TextStatistics training, TextStatistics heldOut) {
    /**
     * The sizes of one source's documents (text only, without the separating empty lines).
     *
     * @param source            the Debian package
     * @param trainingDocuments chapters in the training file
     * @param heldOutDocuments  chapters in the held-out file
     */
    public record SourceSize(String source, int trainingDocuments, int heldOutDocuments,
                             TextStatistics training, TextStatistics heldOut) {
        public TextStatistics total() {
            return training.plus(heldOut);
        }
    }

    public CorpusReport {
        sources = List.copyOf(sources);
    }

    public static CorpusReport of(CorpusSplit split) {
        Set<String> names = new LinkedHashSet<>();
        split.training().forEach(d -> names.add(d.source()));
        split.heldOut().forEach(d -> names.add(d.source()));
        List<SourceSize> sources = new ArrayList<>();
        for (String name : names) {
            List<CorpusDocument> training = split.training().stream().filter(d -> d.source().equals(name)).toList();
            List<CorpusDocument> heldOut = split.heldOut().stream().filter(d -> d.source().equals(name)).toList();
            sources.add(new SourceSize(name, training.size(), heldOut.size(), size(training), size(heldOut)));
        }
        return new CorpusReport(sources, TextStatistics.of(CorpusSplit.text(split.training())),
                TextStatistics.of(CorpusSplit.text(split.heldOut())));
    }

    private static TextStatistics size(List<CorpusDocument> documents) {
        TextStatistics total = TextStatistics.EMPTY;
        for (CorpusDocument d : documents) {
            total = total.plus(TextStatistics.of(d.text()));
        }
        return total;
    }

    /** The README of the corpus directory: provenance, layout, split rule and sizes. */
    public String describe() {
        StringBuilder s = new StringBuilder();
        s.append("Verity language-model corpus (written by 'verity lm corpus')\n\n");
        s.append("Sources: the Debian packages bible-kjv-text (the King James Bible, 1611) and r-cran-janeaustenr\n");
        s.append("(Jane Austen's six novels), both public-domain English.\n\n");
        s.append(LanguageModelCorpus.TRAIN_FILE).append(", ").append(LanguageModelCorpus.HELD_OUT_FILE)
                .append(": UTF-8; one chapter per document, its verses or paragraphs one per line,\n");
        s.append("documents separated by one empty line.\n\n");
        s.append("Split: within each source, chapters are numbered from 1 in order and every ")
                .append(CorpusSplit.HELD_OUT_EVERY).append("th is held out.\n\n");
        s.append(String.format("%-30s %8s %12s %12s %10s%n", "source", "chapters", "bytes", "characters", "words"));
        for (SourceSize source : sources) {
            row(s, source.source() + " train", source.trainingDocuments(), source.training());
            row(s, source.source() + " held-out", source.heldOutDocuments(), source.heldOut());
        }
        int trainingDocuments = sources.stream().mapToInt(SourceSize::trainingDocuments).sum();
        int heldOutDocuments = sources.stream().mapToInt(SourceSize::heldOutDocuments).sum();
        row(s, LanguageModelCorpus.TRAIN_FILE, trainingDocuments, training);
        row(s, LanguageModelCorpus.HELD_OUT_FILE, heldOutDocuments, heldOut);
        return s.toString();
    }

    private static void row(StringBuilder s, String name, int documents, TextStatistics size) {
        s.append(String.format("%-30s %8d %12d %12d %10d%n", name, documents, size.bytes(), size.characters(), size.words()));
    }
}
