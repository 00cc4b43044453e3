package dev.verity.modelhub.conformance;

import java.util.List;

/**
 * The outcome of one conformance test folder.
 *
 * @param name            the folder, relative to the directory the runner was given ("node/test_add")
 * @param status          {@link #PASS}, {@link #FAIL} or {@link #UNSUPPORTED}
 * @param maxError        the largest absolute difference between the float engine's outputs and the expected ones
 *                        over all data sets, or null when nothing was compared
 * @param integerMaxError the same for the integer engine; null until that engine takes part
 * @param unsupportedOps  for UNSUPPORTED: the operator types at fault (may be empty when the cause is an element type
 *                        or another model feature, see the message); otherwise empty
 * @param message         why a test failed or is unsupported; empty for PASS
 */
public record TestResult(String name, String status, Double maxError, Double integerMaxError,
                         List<String> unsupportedOps, String message) {
    public static final String PASS = "PASS";
    public static final String FAIL = "FAIL";
    public static final String UNSUPPORTED = "UNSUPPORTED";

    public TestResult {
        unsupportedOps = List.copyOf(unsupportedOps);
        message = message == null ? "" : message;
    }

    public boolean passed() {
        return status.equals(PASS);
    }

    public boolean failed() {
        return status.equals(FAIL);
    }

    public boolean unsupported() {
        return status.equals(UNSUPPORTED);
    }

    @Override
    public String toString() {
        return name + ": " + status + (maxError == null ? "" : " (max error " + maxError + ")")
                + (unsupportedOps.isEmpty() ? "" : " " + unsupportedOps) + (message.isEmpty() ? "" : " - " + message);
    }
}
