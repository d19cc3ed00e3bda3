package dev.berth.builder.parse;

import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;

/**
 * A syntax error in a Dockerfile. The message reads like Docker's:
 * {@code dockerfile parse error on line 3: unknown instruction: FORM (did you mean FROM?)}.
 */
public final class DockerfileParseException extends BerthException {
    private final int line;
    private final String detail;

    public DockerfileParseException(int line, String detail) {
        super(ErrorKind.INVALID_ARGUMENT, "dockerfile parse error on line " + line + ": " + detail);
        this.line = line;
        this.detail = detail;
    }

    /** The 1-based line the error refers to. */
    public int line() {
        return line;
    }

    /** The message without the "dockerfile parse error on line N: " prefix. */
    public String detail() {
        return detail;
    }
}
