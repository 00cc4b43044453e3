package dev.verity.modelhub.lm.corpus;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns the six novels of the {@code janeaustenr} R package into one document per chapter. Each novel is a character
 * vector of the Project Gutenberg text, one printed line per element, paragraphs separated by empty lines.
 *
 * <p>Cleaning, novel by novel:
 * <ul>
 *   <li>the front matter before the first chapter heading (title, author, a preface) is dropped;</li>
 *   <li>a chapter heading ({@code CHAPTER IV}, {@code Chapter 12}) starts a document and is not part of it;
 *       {@code VOLUME II} headings, {@code THE END} and {@code FINIS} are dropped;</li>
 *   <li>paragraphs are joined onto one line, runs of whitespace become one space, and the {@code _underscores_}
 *       that mark italics are removed;</li>
 *   <li>editorial insertions are dropped: bracketed notes about editions ({@code [End volume one of this edition.}),
 *       asterisk section breaks, and the {@code A NOTE ON THE TEXT} trailer of one edition.</li>
 * </ul>
 */
public final class JaneAustenNovels {
    /** The Debian package the novels come from, the source name of their documents. */
    public static final String SOURCE = "r-cran-janeaustenr";
    /** The R data set names, in the order the corpus takes them. */
    public static final List<String> NOVELS = List.of(
            "emma", "mansfieldpark", "northangerabbey", "persuasion", "prideprejudice", "sensesensibility");

    private static final Pattern CHAPTER_HEADING = Pattern.compile("(?:CHAPTER|Chapter) (?:[0-9]+|[IVXLC]+)\\.?");
    private static final Pattern VOLUME_HEADING = Pattern.compile("VOLUME [IVX]+");
    private static final Pattern ASTERISKS = Pattern.compile("[* ]+");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final String EDITORIAL_TRAILER = "A NOTE ON THE TEXT";

    private JaneAustenNovels() {
    }

    /** Every chapter of every novel in the database, novels in {@link #NOVELS} order. */
    public static List<CorpusDocument> chapters(RLazyLoadDatabase database) {
        List<CorpusDocument> chapters = new ArrayList<>();
        for (String novel : NOVELS) {
            if (!database.names().contains(novel)) {
                throw new CorpusFormatException("the janeaustenr data has no '" + novel + "' (it has " + database.names() + ")");
            }
            if (!(database.get(novel) instanceof RValue.Strings lines)) {
                throw new CorpusFormatException("janeaustenr '" + novel + "' is not a character vector");
            }
            chapters.addAll(chapters(novel, lines.values()));
        }
        return chapters;
    }

    /** The chapters of one novel given as its lines. */
    public static List<CorpusDocument> chapters(String novel, List<String> lines) {
        List<CorpusDocument> chapters = new ArrayList<>();
        String title = null;
        List<String> paragraphs = new ArrayList<>();
        StringBuilder paragraph = new StringBuilder();
        for (String raw : lines) {
            String line = raw == null ? "" : raw.strip();
            if (line.equals(EDITORIAL_TRAILER)) {
                break;
            }
            if (CHAPTER_HEADING.matcher(line).matches()) {
                endParagraph(paragraph, paragraphs);
                if (title != null) {
                    chapters.add(document(novel, title, paragraphs));
                }
                title = line;
                paragraphs.clear();
                continue;
            }
            if (title == null) {
                continue; // front matter
            }
            if (line.isEmpty()) {
                endParagraph(paragraph, paragraphs);
            } else {
                if (!paragraph.isEmpty()) {
                    paragraph.append(' ');
                }
                paragraph.append(line);
            }
        }
        endParagraph(paragraph, paragraphs);
        if (title == null) {
            throw new CorpusFormatException("novel '" + novel + "' has no chapter heading");
        }
        chapters.add(document(novel, title, paragraphs));
        return chapters;
    }

    private static CorpusDocument document(String novel, String title, List<String> paragraphs) {
        if (paragraphs.isEmpty()) {
            throw new CorpusFormatException("novel '" + novel + "', " + title + " is empty");
        }
        return new CorpusDocument(SOURCE, novel + " " + title, String.join("\n", paragraphs));
    }

    private static void endParagraph(StringBuilder paragraph, List<String> paragraphs) {
        if (paragraph.isEmpty()) {
            return;
        }
        String text = WHITESPACE.matcher(paragraph.toString().replace("_", "")).replaceAll(" ").strip();
        paragraph.setLength(0);
        if (!isEditorial(text) && !text.isEmpty()) {
            paragraphs.add(text);
        }
    }

    private static boolean isEditorial(String paragraph) {
        return VOLUME_HEADING.matcher(paragraph).matches()
                || ASTERISKS.matcher(paragraph).matches()
                || paragraph.equals("THE END")
                || paragraph.toUpperCase(Locale.ROOT).equals("FINIS")
                || (paragraph.startsWith("[") && paragraph.toLowerCase(Locale.ROOT).contains("edition"));
    }
}
