package dev.verity.compute.worker;

import ai.onnxruntime.OrtException;
import dev.verity.core.Bytes;
import dev.verity.protocol.tx.FailureReason;
import dev.verity.protocol.tx.Payload;
import java.util.concurrent.TimeoutException;

/**
 * Whose fault it was that a model runner threw: the input's ({@link FailureReason#INPUT_REJECTED}, the client pays) or
 * the node's ({@link FailureReason#NODE_FAULT}, counted as a missed job). Only errors that say the input is wrong count
 * against the client, so a bug or a lack of resources on the node never charges it:
 * <ul>
 *   <li>input: {@link InputRejectedException}, {@link IllegalArgumentException} (validation in the runners, the
 *       tokenizer's malformed UTF-8, a wrong input size), and ONNX Runtime's {@code ORT_INVALID_ARGUMENT} anywhere in
 *       the causes;</li>
 *   <li>node: everything else, {@link OutOfMemoryError} and other {@link VirtualMachineError}s, timeouts,
 *       interruptions, and internal errors of the runtime.</li>
 * </ul>
 */
final class FailureClassifier {
    /** The longest failure message the chain takes, in UTF-8 bytes. */
    static final int MAX_MESSAGE_BYTES = Payload.SubmitFailure.MAX_MESSAGE_BYTES;

    private FailureClassifier() {}

    static FailureReason classify(Throwable t) {
        if (t instanceof VirtualMachineError || t instanceof TimeoutException || t instanceof InterruptedException) {
            return FailureReason.NODE_FAULT;
        }
        if (t instanceof InputRejectedException || t instanceof IllegalArgumentException) {
            return FailureReason.INPUT_REJECTED;
        }
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof InputRejectedException) {
                return FailureReason.INPUT_REJECTED;
            }
            if (c instanceof OrtException ort && ort.getCode() == OrtException.OrtErrorCode.ORT_INVALID_ARGUMENT) {
                return FailureReason.INPUT_REJECTED;
            }
            if (c instanceof VirtualMachineError) {
                return FailureReason.NODE_FAULT;
            }
        }
        return FailureReason.NODE_FAULT;
    }

    /** What happened, in words: the exception's type and message. */
    static String describe(Throwable t) {
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message.strip());
    }

    /** {@code message} cut to what a failure report carries (at most {@value #MAX_MESSAGE_BYTES} bytes, never blank). */
    static String fit(String message) {
        String m = message == null || message.isBlank() ? "no message" : message.strip();
        if (Bytes.utf8(m).length <= MAX_MESSAGE_BYTES) {
            return m;
        }
        String ellipsis = "...";
        int budget = MAX_MESSAGE_BYTES - ellipsis.length();
        StringBuilder out = new StringBuilder();
        int used = 0;
        for (int i = 0; i < m.length(); ) {
            int cp = m.codePointAt(i);
            int size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (used + size > budget) {
                break;
            }
            out.appendCodePoint(cp);
            used += size;
            i += Character.charCount(cp);
        }
        return out + ellipsis;
    }
}
