package dev.verity.gateway.generation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StopStringCutterTest {

    static List<String> feed(StopStringCutter cutter, String... pieces) {
        List<String> out = new ArrayList<>();
        for (String p : pieces) {
            out.add(cutter.accept(p));
        }
        out.add(cutter.finish());
        return out;
    }

    @Test
    void textBeforeAStopStringIsShownAndTheRestIsNot() {
        StopStringCutter cutter = new StopStringCutter(List.of("END"));

        assertThat(feed(cutter, "abc", "dE", "N", "D and more", "more")).containsExactly("abc", "d", "", "", "", "");
        assertThat(cutter.stopped()).isTrue();
    }

    @Test
    void aPossibleStartIsHeldBackUntilItIsNot() {
        StopStringCutter cutter = new StopStringCutter(List.of("END"));

        assertThat(feed(cutter, "xE", "Nx", "E")).containsExactly("x", "ENx", "", "E");
        assertThat(cutter.stopped()).isFalse();
    }

    @Test
    void theEarliestOfSeveralStopStringsWins() {
        StopStringCutter cutter = new StopStringCutter(List.of("world", "lo, w"));

        assertThat(String.join("", feed(cutter, "Hello, world"))).isEqualTo("Hel");
    }

    @Test
    void withoutStopStringsEverythingPassesAtOnce() {
        assertThat(feed(new StopStringCutter(List.of()), "a", "b")).containsExactly("a", "b", "");
    }
}
