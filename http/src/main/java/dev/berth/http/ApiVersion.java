package dev.berth.http;

import dev.berth.common.BerthException;

/**
 * An Engine API version such as {@code 1.50}, as carried by the {@code /v1.NN} URL prefix.
 * Ordered numerically (1.9 &lt; 1.10). Immutable.
 */
public record ApiVersion(int major, int minor) implements Comparable<ApiVersion> {

    /** Parses {@code "1.50"}; anything else is INVALID_ARGUMENT. */
    public static ApiVersion parse(String text) {
        int dot = text.indexOf('.');
        try {
            if (dot > 0) {
                return new ApiVersion(Integer.parseInt(text.substring(0, dot)), Integer.parseInt(text.substring(dot + 1)));
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw BerthException.invalid("invalid API version: %s", text);
    }

    @Override
    public int compareTo(ApiVersion o) {
        return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
    }

    public boolean atLeast(String other) {
        return compareTo(parse(other)) >= 0;
    }

    public boolean lessThan(String other) {
        return compareTo(parse(other)) < 0;
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
