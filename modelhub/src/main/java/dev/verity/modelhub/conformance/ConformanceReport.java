package dev.verity.modelhub.conformance;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The results of a conformance run: counts per status and every test's result, sorted by name. */
public record ConformanceReport(int passed, int failed, int unsupported, List<TestResult> tests) {
    public ConformanceReport {
        tests = List.copyOf(tests);
    }

    /** Builds a report, counting the statuses. */
    public static ConformanceReport of(List<TestResult> tests) {
        int passed = 0;
        int failed = 0;
        int unsupported = 0;
        for (TestResult t : tests) {
            switch (t.status()) {
                case TestResult.PASS -> passed++;
                case TestResult.FAIL -> failed++;
                default -> unsupported++;
            }
        }
        return new ConformanceReport(passed, failed, unsupported, tests);
    }

    public List<TestResult> failures() {
        return tests.stream().filter(TestResult::failed).toList();
    }

    /** How many UNSUPPORTED tests each operator type is blamed in, most frequent first. */
    public Map<String, Integer> unsupportedOperatorCounts() {
        Map<String, Integer> counts = new TreeMap<>();
        for (TestResult t : tests) {
            for (String op : t.unsupportedOps()) {
                counts.merge(op, 1, Integer::sum);
            }
        }
        Map<String, Integer> sorted = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    /** "passed 300, failed 0, unsupported 632 (of 932)". */
    public String summary() {
        return "passed " + passed + ", failed " + failed + ", unsupported " + unsupported + " (of " + tests.size()
                + ")";
    }
}
