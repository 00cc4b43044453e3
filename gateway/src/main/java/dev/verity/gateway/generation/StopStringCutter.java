package dev.verity.gateway.generation;

import java.util.List;

/**
 * Ends streamed text before the first stop string, as OpenAI does: the stop string and everything after it are never
 * shown. Text that might be the start of a stop string is held back until the next piece shows whether it is.
 */
public final class StopStringCutter {
    private final List<String> stops;
    private final StringBuilder held = new StringBuilder();
    private boolean stopped;

    public StopStringCutter(List<String> stops) {
        for (String s : stops) {
            if (s.isEmpty()) {
                throw new IllegalArgumentException("a stop string must not be empty");
            }
        }
        this.stops = List.copyOf(stops);
    }

    /** Takes the next piece of text and returns what may be shown now. */
    public String accept(String piece) {
        if (stopped || piece.isEmpty()) {
            return "";
        }
        held.append(piece);
        int at = firstStop();
        if (at >= 0) {
            stopped = true;
            String out = held.substring(0, at);
            held.setLength(0);
            return out;
        }
        int keep = longestStopPrefixAtEnd();
        String out = held.substring(0, held.length() - keep);
        held.delete(0, held.length() - keep);
        return out;
    }

    /** The text has ended: returns what was held back (it turned out not to be a stop string). */
    public String finish() {
        String out = stopped ? "" : held.toString();
        held.setLength(0);
        return out;
    }

    /** Whether a stop string was found (the answer ends there). */
    public boolean stopped() {
        return stopped;
    }

    private int firstStop() {
        int first = -1;
        for (String s : stops) {
            int i = held.indexOf(s);
            if (i >= 0 && (first < 0 || i < first)) {
                first = i;
            }
        }
        return first;
    }

    /** The length of the longest end of the held text that a stop string starts with (shorter than that stop string). */
    private int longestStopPrefixAtEnd() {
        int best = 0;
        for (String s : stops) {
            for (int k = Math.min(s.length() - 1, held.length()); k > best; k--) {
                if (endsWith(s, k)) {
                    best = k;
                    break;
                }
            }
        }
        return best;
    }

    /** Whether the held text ends with the first {@code k} characters of {@code stop}. */
    private boolean endsWith(String stop, int k) {
        int from = held.length() - k;
        for (int i = 0; i < k; i++) {
            if (held.charAt(from + i) != stop.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
