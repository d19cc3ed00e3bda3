package dev.berth.registry;

/** A failure to report as a distribution error body {@code {"errors":[{"code","message","detail"}]}}. */
public final class RegistryError extends RuntimeException {
    private final ErrorCode code;
    private final transient Object detail;
    private final int status;

    public RegistryError(ErrorCode code, Object detail) {
        this(code, code.status(), code.message(), detail);
    }

    public RegistryError(ErrorCode code, int status, String message, Object detail) {
        super(message);
        this.code = code;
        this.status = status;
        this.detail = detail;
    }

    public ErrorCode code() {
        return code;
    }

    public int status() {
        return status;
    }

    public Object detail() {
        return detail;
    }
}
