package dev.berth.builder.parse;

/**
 * One here-document attached to an instruction ({@code <<EOF}, {@code <<-EOF}, {@code <<"EOF"}).
 *
 * @param name the delimiter word without quotes
 * @param content the body: every line up to (not including) the delimiter line, each line ending
 *     in {@code \n}; for {@code <<-} leading tabs are already removed
 * @param expand true when the delimiter was unquoted, so that variables in the body are expanded
 * @param chomp true for {@code <<-} (leading tabs stripped)
 * @param fileDescriptor the optional fd prefix ({@code 3<<EOF}), or -1
 */
public record Heredoc(String name, String content, boolean expand, boolean chomp, int fileDescriptor) {}
