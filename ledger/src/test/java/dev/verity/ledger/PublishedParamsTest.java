package dev.verity.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.protocol.Params;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The published rules are the code's: every chain parameter appears in the parameter tables of
 * docs/ECONOMICS.md or docs/SLASHING.md with exactly its default, and every row there names a parameter.
 */
class PublishedParamsTest {
    /** A table row: | `name` | default | ... */
    private static final Pattern ROW = Pattern.compile("^\\|\\s*`([A-Za-z]+)`\\s*\\|\\s*([0-9][0-9 ,_]*)\\s*\\|.*$");
    private static final List<String> DOCS = List.of("ECONOMICS.md", "SLASHING.md");

    static Path docs() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("docs"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("a docs/ folder above %s", Path.of("").toAbsolutePath()).isNotNull();
        return dir.resolve("docs");
    }

    /** Parameter name to (document, default) for every row of the parameter tables. */
    static Map<String, List<String>> published() throws IOException {
        Map<String, List<String>> rows = new TreeMap<>();
        for (String doc : DOCS) {
            for (String line : Files.readAllLines(docs().resolve(doc))) {
                Matcher m = ROW.matcher(line.strip());
                if (m.matches()) {
                    rows.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(doc + "=" + m.group(2).replaceAll("[ ,_]", ""));
                }
            }
        }
        return rows;
    }

    static Map<String, String> defaults() throws ReflectiveOperationException {
        Map<String, String> out = new TreeMap<>();
        Params p = Params.defaults();
        for (RecordComponent c : Params.class.getRecordComponents()) {
            out.put(c.getName(), String.valueOf(c.getAccessor().invoke(p)));
        }
        return out;
    }

    @Test
    void everyParameterIsPublishedOnceWithItsDefault() throws Exception {
        Map<String, List<String>> published = published();
        Map<String, String> defaults = defaults();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> d : defaults.entrySet()) {
            List<String> rows = published.get(d.getKey());
            if (rows == null) {
                problems.add(d.getKey() + " (default " + d.getValue() + ") is in neither ECONOMICS.md nor SLASHING.md");
            } else if (rows.size() > 1) {
                problems.add(d.getKey() + " is published more than once: " + rows);
            } else if (!rows.get(0).endsWith("=" + d.getValue())) {
                problems.add(d.getKey() + ": the docs say " + rows.get(0) + ", the code's default is " + d.getValue());
            }
        }
        for (String name : published.keySet()) {
            if (!defaults.containsKey(name)) {
                problems.add(name + " is published but is not a chain parameter");
            }
        }
        assertThat(problems).as("docs and Params.defaults() disagree").isEmpty();
    }

    @Test
    void theCheckNoticesAChangedDefault() throws Exception {
        Map<String, List<String>> published = published();
        assertThat(published).containsKeys("minStake", "initialBasePrice", "basePriceChangeBps");
        assertThat(published.get("minStake").get(0)).isEqualTo("SLASHING.md=" + Params.defaults().minStake());
        assertThat(published.get("minStake").get(0)).isNotEqualTo("SLASHING.md=" + (Params.defaults().minStake() + 1));
    }
}
