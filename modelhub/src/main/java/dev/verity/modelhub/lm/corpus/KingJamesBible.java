package dev.verity.modelhub.lm.corpus;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the decoded {@code bible.data} text into one document per chapter. The file holds a title line, then one
 * verse per line, each prefixed with its reference ({@code Ge1:1 In the beginning...}). References are markup: they
 * are removed, each verse keeps its own line, and runs of spaces become one.
 */
public final class KingJamesBible {
    /** The Debian package the text comes from, the source name of its documents. */
    public static final String SOURCE = "bible-kjv-text";

    private static final Pattern VERSE = Pattern.compile("([1-3]?[A-Za-z]+)(\\d+):(\\d+) (.+)");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final String TITLE_PREFIX = "Holy Bible";

    private KingJamesBible() {
    }

    /** The chapters, in the order of the file, titled like {@code "Ge 1"}. */
    public static List<CorpusDocument> chapters(String text) {
        List<CorpusDocument> chapters = new ArrayList<>();
        String currentTitle = null;
        StringBuilder verses = new StringBuilder();
        int lineNumber = 0;
        for (String line : text.split("\n", -1)) {
            lineNumber++;
            if (line.isEmpty() || (lineNumber == 1 && line.startsWith(TITLE_PREFIX))) {
                continue;
            }
            Matcher m = VERSE.matcher(line);
            if (!m.matches()) {
                throw new CorpusFormatException("line " + lineNumber + " is not a verse (\"book chapter:verse text\"): \""
                        + abbreviate(line) + "\"");
            }
            String title = m.group(1) + " " + m.group(2);
            if (!title.equals(currentTitle)) {
                if (currentTitle != null) {
                    chapters.add(new CorpusDocument(SOURCE, currentTitle, verses.toString()));
                }
                currentTitle = title;
                verses.setLength(0);
            } else {
                verses.append('\n');
            }
            verses.append(WHITESPACE.matcher(m.group(4)).replaceAll(" ").strip());
        }
        if (currentTitle != null) {
            chapters.add(new CorpusDocument(SOURCE, currentTitle, verses.toString()));
        }
        if (chapters.isEmpty()) {
            throw new CorpusFormatException("the Bible text holds no verses");
        }
        return chapters;
    }

    private static String abbreviate(String line) {
        return line.length() <= 60 ? line : line.substring(0, 60) + "...";
    }
}
