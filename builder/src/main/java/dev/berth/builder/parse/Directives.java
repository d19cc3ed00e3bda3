package dev.berth.builder.parse;

/**
 * The parser directives found at the top of a Dockerfile.
 *
 * @param syntax the {@code # syntax=} value, or null
 * @param escape the escape character ({@code \} or {@code `})
 * @param check the {@code # check=} value, or null
 */
public record Directives(String syntax, char escape, String check) {
    public static final Directives DEFAULT = new Directives(null, '\\', null);
}
