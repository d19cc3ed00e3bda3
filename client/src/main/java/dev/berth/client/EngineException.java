package dev.berth.client;

import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;

/** An error reply from the engine: its HTTP status and message ({@code {"message":…}}). */
public final class EngineException extends BerthException {
    private final int status;

    public EngineException(ErrorKind kind, int status, String message) {
        super(kind, message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
