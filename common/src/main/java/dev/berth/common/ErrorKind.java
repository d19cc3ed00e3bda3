package dev.berth.common;

/**
 * The kind of a failure, independent of transport. The HTTP layer maps each kind to one status
 * code in exactly one place; everything below it only chooses a kind.
 */
public enum ErrorKind {
    /** The named object does not exist (HTTP 404). */
    NOT_FOUND,
    /** The request conflicts with current state, e.g. a name in use (HTTP 409). */
    CONFLICT,
    /** The request is malformed or names an impossible value (HTTP 400). */
    INVALID_ARGUMENT,
    /** Credentials are missing or wrong (HTTP 401). */
    UNAUTHORIZED,
    /** The caller may not do this (HTTP 403). */
    FORBIDDEN,
    /** Nothing changed, e.g. starting a started container (HTTP 304). */
    NOT_MODIFIED,
    /** The feature exists in Docker but not (yet) here (HTTP 501). */
    NOT_IMPLEMENTED,
    /** A dependency (kernel, runtime, registry) is unavailable (HTTP 503). */
    UNAVAILABLE,
    /** A bug or an unexpected system failure (HTTP 500). */
    INTERNAL
}
