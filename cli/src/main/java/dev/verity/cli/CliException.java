package dev.verity.cli;

import java.util.Map;

/**
 * The operation a command ran did not succeed (a refused transaction, a job that did not settle, a failed
 * verification): exit code 1, one {@code error:} line, or with {@code --json} one object holding {@link #data()}
 * plus {@code code} and {@code message}.
 */
public final class CliException extends RuntimeException {
    private final String code;
    private final transient Map<String, ?> data;

    public CliException(String code, String message) {
        this(code, message, null);
    }

    public CliException(String code, String message, Map<String, ?> data) {
        this(code, message, data, null);
    }

    public CliException(String code, String message, Map<String, ?> data, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.data = data;
    }

    String code() {
        return code;
    }

    Map<String, ?> data() {
        return data;
    }
}
