package dev.berth.builder.exec;

import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;

/**
 * A RUN command exited non-zero: "The command '/bin/sh -c false' returned a non-zero code: 1".
 * {@link #exitCode()} goes into the JSON message's {@code errorDetail.code}.
 */
public final class CommandFailedException extends BerthException {
    private final int exitCode;

    public CommandFailedException(String command, int exitCode) {
        super(ErrorKind.INVALID_ARGUMENT,
                "The command '" + command + "' returned a non-zero code: " + exitCode);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
