package dev.berth.builder.parse;

import java.util.List;

/**
 * One logical instruction line of a Dockerfile, after continuation lines were joined and comment
 * lines inside continuations removed, but before it was interpreted.
 *
 * @param keyword the instruction word as written (original case)
 * @param flags the leading {@code --flag[=value]} words, unquoted
 * @param rest the text after the keyword and the flags (leading whitespace removed)
 * @param original the whole logical line as written (continuations joined, leading whitespace
 *     trimmed); this is what "Step N/M : …" prints
 * @param heredocs here-documents that followed the line, in order
 * @param startLine 1-based line where the instruction starts
 * @param endLine 1-based line where it ends (including heredoc bodies)
 */
public record Node(
        String keyword,
        List<String> flags,
        String rest,
        String original,
        List<Heredoc> heredocs,
        int startLine,
        int endLine) {

    public Node {
        flags = List.copyOf(flags);
        heredocs = List.copyOf(heredocs);
    }

    /** The lower-case instruction name. */
    public String command() {
        return keyword.toLowerCase(java.util.Locale.ROOT);
    }
}
