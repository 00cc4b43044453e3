package dev.verity.gateway.generation;

import dev.verity.gateway.tokenizer.StreamingDetokenizer;
import java.util.Arrays;
import java.util.List;

/**
 * One answer's generated tokens turned into the text a client sees: end-of-turn tokens are dropped, the text is
 * decoded as whole characters, and it ends before the first stop string. Not thread-safe.
 */
public final class AnswerText {
    private final StreamingDetokenizer detokenizer;
    private final int[] endOfTurnTokens;
    private final StopStringCutter cutter;
    private boolean turnEnded;
    private boolean finished;

    public AnswerText(StreamingDetokenizer detokenizer, int[] endOfTurnTokens, List<String> stopStrings) {
        this.detokenizer = detokenizer;
        this.endOfTurnTokens = endOfTurnTokens.clone();
        this.cutter = new StopStringCutter(stopStrings);
    }

    /** Takes the next generated token and returns the text that may be shown now (often {@code ""}). */
    public String accept(int tokenId) {
        if (turnEnded || finished || cutter.stopped()) {
            return "";
        }
        if (Arrays.stream(endOfTurnTokens).anyMatch(id -> id == tokenId)) {
            turnEnded = true; // the answer is over; whatever the node sent after it is not part of it
            return cutter.accept(detokenizer.finish());
        }
        return cutter.accept(detokenizer.accept(tokenId));
    }

    /** The tokens have ended: returns the rest of the text. */
    public String finish() {
        if (finished) {
            return "";
        }
        finished = true;
        String rest = turnEnded ? "" : cutter.accept(detokenizer.finish());
        return rest + cutter.finish();
    }

    /** Whether the text was cut at a stop string (the answer then finished for {@code stop}, whatever the node said). */
    public boolean cutAtStopString() {
        return cutter.stopped();
    }
}
