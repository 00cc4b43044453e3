package dev.verity.modelhub.lm.corpus;

import java.util.Objects;

/**
 * One unit of the corpus, the unit the held-out split counts: a chapter of a book.
 *
 * @param source the Debian package it comes from ({@code bible-kjv-text}, {@code r-cran-janeaustenr})
 * @param title  where in the source ({@code "Ge 1"}, {@code "emma CHAPTER I"}), for reports
 * @param text   clean text: one verse or paragraph per line, no trailing newline
 */
public record CorpusDocument(String source, String title, String text) {
    public CorpusDocument {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(text, "text");
    }
}
