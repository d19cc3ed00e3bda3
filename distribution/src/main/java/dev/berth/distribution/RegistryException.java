package dev.berth.distribution;

import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import dev.berth.common.Json;
import tools.jackson.databind.JsonNode;

/**
 * A registry answered with an error status. Carries the HTTP status and the first error code of
 * the distribution error body ({@code {"errors":[{"code":"MANIFEST_UNKNOWN","message":…}]}}).
 */
public final class RegistryException extends BerthException {
    private final int status;
    private final String code;

    public RegistryException(int status, String code, String message) {
        super(kindOf(status), message);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    /** The first distribution error code, e.g. {@code BLOB_UNKNOWN}; null when the body had none. */
    public String code() {
        return code;
    }

    static ErrorKind kindOf(int status) {
        return switch (status) {
            case 400, 405, 416 -> ErrorKind.INVALID_ARGUMENT;
            case 401 -> ErrorKind.UNAUTHORIZED;
            case 403 -> ErrorKind.FORBIDDEN;
            case 404 -> ErrorKind.NOT_FOUND;
            case 409 -> ErrorKind.CONFLICT;
            default -> status >= 500 ? ErrorKind.UNAVAILABLE : ErrorKind.INTERNAL;
        };
    }

    /** Builds the exception from a status and body as Docker words it: {@code code-lower: message}. */
    static RegistryException of(int status, byte[] body) {
        String code = null;
        String message = null;
        try {
            if (body != null && body.length > 0) {
                JsonNode errors = Json.mapper().readTree(body).path("errors");
                if (errors.isArray() && !errors.isEmpty()) {
                    JsonNode e = errors.get(0);
                    code = e.path("code").asString(null);
                    message = e.path("message").asString(null);
                }
            }
        } catch (RuntimeException e) {
            // not a distribution error body; fall back to the status below
        }
        String text;
        if (code != null) {
            String c = code.toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
            text = c + (message != null && !message.isEmpty() ? ": " + message : "");
        } else {
            text = switch (status) {
                case 401 -> "unauthorized: authentication required";
                case 403 -> "denied: requested access to the resource is denied";
                case 404 -> "not found";
                default -> "unexpected status from registry: " + status;
            };
        }
        return new RegistryException(status, code, text);
    }
}
