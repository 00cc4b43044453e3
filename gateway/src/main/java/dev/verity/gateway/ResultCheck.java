package dev.verity.gateway;

import dev.verity.gateway.backend.GenerationOutcome;
import dev.verity.gateway.backend.SettlementStatus;
import dev.verity.gateway.openai.OpenAiException;
import java.util.Arrays;

/**
 * The tokens a node streamed must be the start of the result the ledger settled: what a client was shown must be what
 * was verified. (A stream may stop early; the rest of the settled result is then sent from the outcome.)
 */
final class ResultCheck {

    private ResultCheck() {
    }

    /** Null when {@code streamed} (its first {@code count} ids) starts the settled result; otherwise the error. */
    static OpenAiException mismatch(int[] streamed, int count, GenerationOutcome outcome) {
        int[] settled = outcome.result().tokens();
        int differsAt = count > settled.length ? settled.length : Arrays.mismatch(streamed, 0, count, settled, 0, count);
        if (differsAt < 0) {
            return null;
        }
        return OpenAiException.server(502, "result_mismatch", "The node streamed tokens that differ from the result the "
                + "ledger " + (outcome.status() == SettlementStatus.SETTLED ? "settled" : "holds") + " for job "
                + outcome.job().hex() + " (from token " + differsAt + " on: " + count + " streamed, " + settled.length
                + " in the result), so the streamed text is not the verified answer. The verified result is in the job's "
                + "receipt: " + outcome.receiptUrl(), null, false);
    }
}
