package dev.verity.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A strict reader of the Prometheus text exposition format (0.0.4): every line is a comment or a sample that parses. */
public final class PrometheusText {
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{((?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\.)*\",?)*)\\})? (\\S+)(?: -?\\d+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\.)*)\"");
    private static final Pattern COMMENT = Pattern.compile("# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .*");

    public record Sample(String name, Map<String, String> labels, double value) {}

    private PrometheusText() {}

    /** Parses every line, failing the test on one that is neither a HELP/TYPE comment nor a sample. */
    public static List<Sample> parse(String text) {
        List<Sample> out = new ArrayList<>();
        assertThat(text).endsWith("\n");
        for (String line : text.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                assertThat(COMMENT.matcher(line).matches()).as("comment line: %s", line).isTrue();
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            assertThat(m.matches()).as("sample line: %s", line).isTrue();
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            out.add(new Sample(m.group(1), labels, value(m.group(3), line)));
        }
        return out;
    }

    private static double value(String text, String line) {
        return switch (text) {
            case "NaN" -> Double.NaN;
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> {
                try {
                    yield Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw new AssertionError("not a sample value in: " + line);
                }
            }
        };
    }

    /** The value of the one sample named {@code name} whose labels include {@code labels} (k1, v1, k2, v2...); NaN if none. */
    public static double value(List<Sample> samples, String name, String... labels) {
        List<Sample> found = find(samples, name, labels);
        assertThat(found.size()).as("samples %s %s", name, List.of(labels)).isLessThanOrEqualTo(1);
        return found.isEmpty() ? Double.NaN : found.get(0).value();
    }

    public static List<Sample> find(List<Sample> samples, String name, String... labels) {
        List<Sample> out = new ArrayList<>();
        for (Sample s : samples) {
            if (!s.name().equals(name)) {
                continue;
            }
            boolean all = true;
            for (int i = 0; i < labels.length; i += 2) {
                all &= labels[i + 1].equals(s.labels().get(labels[i]));
            }
            if (all) {
                out.add(s);
            }
        }
        return out;
    }
}
