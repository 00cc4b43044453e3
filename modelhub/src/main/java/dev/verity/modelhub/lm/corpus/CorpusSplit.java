package dev.verity.modelhub.lm.corpus;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The deterministic training / held-out split: within each source, documents (chapters) are numbered from 1 in
 * corpus order, and every {@value #HELD_OUT_EVERY}th one (the 20th, 40th, ...) is held out. Whole chapters are held
 * out, so held-out text never shares a paragraph with training text, and every source contributes about 5%.
 *
 * @param training the documents to train on, in corpus order
 * @param heldOut  the held-out documents, in corpus order
 */
public record CorpusSplit(List<CorpusDocument> training, List<CorpusDocument> heldOut) {
    public static final int HELD_OUT_EVERY = 20;

    public CorpusSplit {
        training = List.copyOf(training);
        heldOut = List.copyOf(heldOut);
    }

    public static CorpusSplit of(List<CorpusDocument> documents) {
        List<CorpusDocument> training = new ArrayList<>();
        List<CorpusDocument> heldOut = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (CorpusDocument document : documents) {
            int number = seen.merge(document.source(), 1, Integer::sum);
            (number % HELD_OUT_EVERY == 0 ? heldOut : training).add(document);
        }
        return new CorpusSplit(training, heldOut);
    }

    /** The documents as one text: each document's lines, documents separated by an empty line, a final newline. */
    public static String text(List<CorpusDocument> documents) {
        StringBuilder text = new StringBuilder();
        for (CorpusDocument document : documents) {
            if (!text.isEmpty()) {
                text.append('\n');
            }
            text.append(document.text()).append('\n');
        }
        return text.toString();
    }
}
