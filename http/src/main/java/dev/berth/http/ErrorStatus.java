package dev.berth.http;

import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import tools.jackson.core.JacksonException;

/** The one place where a failure becomes an HTTP status code. Pure utility. */
public final class ErrorStatus {
    private ErrorStatus() {}

    public static int of(ErrorKind kind) {
        return switch (kind) {
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case INVALID_ARGUMENT -> 400;
            case UNAUTHORIZED -> 401;
            case FORBIDDEN -> 403;
            case NOT_MODIFIED -> 304;
            case NOT_IMPLEMENTED -> 501;
            case UNAVAILABLE -> 503;
            case INTERNAL -> 500;
        };
    }

    /** Status for any throwable: BerthException by kind, malformed JSON 400, everything else 500. */
    public static int of(Throwable t) {
        if (t instanceof BerthException be) {
            return of(be.kind());
        }
        if (t instanceof JacksonException) {
            return 400;
        }
        return 500;
    }

    /** The message for the {@code {"message": …}} body. */
    public static String message(Throwable t) {
        if (t instanceof JacksonException je) {
            return "invalid JSON: " + je.getOriginalMessage(); // dockerd's prefix; the reason is Jackson's
        }
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }
}
