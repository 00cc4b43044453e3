package dev.verity.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.verity.sdk.Amounts;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a command's output goes. With {@code --json} a command prints exactly one JSON document (pretty, base
 * units as integers) on stdout; without it, human text: tables and aligned fields. Progress notes always go to
 * stderr, so stdout stays clean for scripts.
 */
public final class Output {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean json;

    Output(PrintWriter out, PrintWriter err, boolean json) {
        this.out = out;
        this.err = err;
        this.json = json;
    }

    public boolean json() {
        return json;
    }

    public PrintWriter out() {
        return out;
    }

    public PrintWriter err() {
        return err;
    }

    /** Prints {@code value} as the command's JSON document. */
    public void printJson(Object value) {
        try {
            out.println(JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
        out.flush();
    }

    /** A line of human output on stdout (nothing in JSON mode). */
    public void line(String text) {
        if (!json) {
            out.println(text);
            out.flush();
        }
    }

    public void line() {
        line("");
    }

    /** A progress note on stderr, in both modes. */
    public void note(String text) {
        err.println(text);
        err.flush();
    }

    /** Reports an error: {@code error: message} on stderr, or {@code {"code", "message"}} on stdout with --json. */
    public void error(String code, String message) {
        error(code, message, null);
    }

    /** An error with the data gathered so far: in JSON mode one object holding the data, code and message. */
    public void error(String code, String message, Map<String, ?> data) {
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            if (data != null) {
                doc.putAll(data);
            }
            doc.put("code", code);
            doc.put("message", message);
            printJson(doc);
        } else {
            err.println("error: " + message);
            err.flush();
        }
    }

    /** Human: "label:  value" lines with the values aligned. */
    public void fields(Map<String, ?> fields) {
        if (json) {
            return;
        }
        int width = fields.keySet().stream().mapToInt(String::length).max().orElse(0) + 1;
        for (Map.Entry<String, ?> e : fields.entrySet()) {
            out.println(pad(e.getKey() + ":", width) + "  " + (e.getValue() == null ? "-" : e.getValue()));
        }
        out.flush();
    }

    /** Human: a table with a header row; columns whose header starts with '>' are right-aligned. */
    public void table(List<String> headers, List<List<String>> rows) {
        if (json) {
            return;
        }
        int n = headers.size();
        int[] width = new int[n];
        boolean[] right = new boolean[n];
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String h = headers.get(i);
            right[i] = h.startsWith(">");
            names.add(right[i] ? h.substring(1) : h);
            width[i] = names.get(i).length();
        }
        for (List<String> row : rows) {
            for (int i = 0; i < n; i++) {
                width[i] = Math.max(width[i], cell(row, i).length());
            }
        }
        out.println(row(names, width, right));
        for (List<String> r : rows) {
            out.println(row(r, width, right));
        }
        out.flush();
    }

    private static String row(List<String> cells, int[] width, boolean[] right) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < width.length; i++) {
            if (i > 0) {
                sb.append("  ");
            }
            String c = cell(cells, i);
            boolean last = i == width.length - 1;
            if (right[i]) {
                sb.append(" ".repeat(width[i] - c.length())).append(c);
            } else {
                sb.append(last ? c : pad(c, width[i]));
            }
        }
        return sb.toString();
    }

    private static String cell(List<String> row, int i) {
        String c = i < row.size() ? row.get(i) : null;
        return c == null ? "-" : c;
    }

    static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    /** The first 12 hex characters of an id, or "-". */
    static String shortId(String hex) {
        if (hex == null || hex.isEmpty()) {
            return "-";
        }
        return hex.length() <= 12 ? hex : hex.substring(0, 12);
    }

    /** Base units as "1.500000 VRT". */
    static String tokens(long baseUnits) {
        return Amounts.formatTokens(baseUnits);
    }

    /** An insertion-ordered map from alternating keys and values. */
    public static Map<String, Object> object(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
