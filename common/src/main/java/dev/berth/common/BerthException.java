package dev.berth.common;

/**
 * The one exception type that crosses module seams. Its message is written for the user: it says
 * what was wrong and, where possible, what to do. The {@link ErrorKind} decides the HTTP status.
 */
public class BerthException extends RuntimeException {
    private final ErrorKind kind;

    public BerthException(ErrorKind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public BerthException(ErrorKind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public ErrorKind kind() {
        return kind;
    }

    public static BerthException notFound(String fmt, Object... args) {
        return new BerthException(ErrorKind.NOT_FOUND, fmt.formatted(args));
    }

    public static BerthException conflict(String fmt, Object... args) {
        return new BerthException(ErrorKind.CONFLICT, fmt.formatted(args));
    }

    public static BerthException invalid(String fmt, Object... args) {
        return new BerthException(ErrorKind.INVALID_ARGUMENT, fmt.formatted(args));
    }

    public static BerthException notModified(String fmt, Object... args) {
        return new BerthException(ErrorKind.NOT_MODIFIED, fmt.formatted(args));
    }

    public static BerthException unavailable(String fmt, Object... args) {
        return new BerthException(ErrorKind.UNAVAILABLE, fmt.formatted(args));
    }

    public static BerthException internal(String message, Throwable cause) {
        return new BerthException(ErrorKind.INTERNAL, message, cause);
    }
}
