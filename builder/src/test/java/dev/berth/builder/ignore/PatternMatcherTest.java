package dev.berth.builder.ignore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Behaviour table for Docker's .dockerignore matching, written after reading
 * moby/patternmatcher's tests (EXACT = the path itself matches; PARENT = only through a parent
 * directory; NONE = no match).
 */
class PatternMatcherTest {

    @ParameterizedTest(name = "{0} vs {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "**|file|EXACT",
        "**|file/|EXACT",
        "**/|file|EXACT",
        "**|dir/file|EXACT",
        "**/|dir/file/|EXACT",
        "**/**|dir/file|EXACT",
        "dir/**|dir/file|EXACT",
        "dir/**|dir/dir2/file|EXACT",
        "**/dir|dir|EXACT",
        "**/dir|dir/file|PARENT",
        "**/dir2/*|dir/dir2/file|EXACT",
        "**/dir2/*|dir/dir2/file/|PARENT",
        "**/dir2/**|dir/dir2/dir3/file|EXACT",
        "**file|file|EXACT",
        "**file|dir/file|EXACT",
        "**/file|dir/dir/file|EXACT",
        "**/file*|dir/dir/file.txt|EXACT",
        "**/file*txt|dir/dir/file.txt|EXACT",
        "**/**/*.txt|dir/dir/file.txt|EXACT",
        "**/**/*.txt2|dir/dir/file.txt|NONE",
        "**/*.txt|file.txt|EXACT",
        "a**/*.txt|a/file.txt|EXACT",
        "a**/*.txt|a/dir/dir/file.txt|EXACT",
        "a/*.txt|a/dir/file.txt|NONE",
        "a/*.txt|a/file.txt|EXACT",
        "a/*.txt**|a/file.txt|EXACT",
        "a[b-d]e|ae|NONE",
        "a[b-d]e|ace|EXACT",
        "a[b-d]e|aae|NONE",
        "a[^b-d]e|aze|EXACT",
        ".*|.foo|EXACT",
        ".*|foo|NONE",
        "abc.def|abcdef|NONE",
        "abc.def|abc.def|EXACT",
        "abc?def|abcZdef|EXACT",
        "abc?def|abcdef|NONE",
        "**/foo/bar|dir/dir2/foo/bar|EXACT",
        "**/foo/bar|foo/bar|EXACT",
        "abc/**|abc|NONE",
        "abc/**|abc/def/ghi|EXACT",
        "**/.foo|.foo|EXACT",
        "**/.foo|bar.foo|NONE",
        "a(b)c/def|a(b)c/def|EXACT",
        "a(b)c/def|a(b)c/xyz|NONE",
        "dist/*.whl|dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl|EXACT",
        "a\\*b|a*b|EXACT",
        "docs|docs/README.md|PARENT",
        "/docs/|docs/x|PARENT",
        "./a/../b|b/c|PARENT",
        "*|fileutils.go|EXACT",
        "*.go|fileutils.go|EXACT",
        "*.go|dir/fileutils.go|NONE",
    })
    void singlePattern(String pattern, String path, String expected) {
        PatternMatcher pm = new PatternMatcher(DockerIgnore.read(pattern));
        assertThat(pm.matchesExact(path)).as("exact").isEqualTo(expected.equals("EXACT"));
        assertThat(pm.matchesOrParentMatches(path)).as("or parent").isEqualTo(!expected.equals("NONE"));
    }

    @Test
    void regexpMetaCharactersAreLiteral() {
        assertThat(matches("a.|)$(}+{bc", "a.|)$(}+{bc")).isTrue();
        assertThat(matches("a.|)$(}+{bcd", "a.|)$(}+{bc")).isFalse();
        assertThat(matches("a^b", "a^b")).isTrue();
    }

    @Test
    void exceptionsAndLastMatchWins() {
        assertThat(matches("fileutils.go", "!fileutils.go", "*.go")).isTrue();
        assertThat(matches("fileutils.go", "*.go", "!fileutils.go")).isFalse();
        assertThat(matches("docs/README.md", "docs", "!docs/README.md")).isFalse();
        assertThat(matches("docs/README.md", "docs/", "!docs/README.md")).isFalse();
        assertThat(matches("docs/README.md", "docs/*", "!docs/README.md")).isFalse();
        assertThat(matches("docs/other.md", "docs", "!docs/README.md")).isTrue();
        assertThat(matches("util/docker/web/foo", "**", "!util/docker/web")).isFalse();
        assertThat(matches("util/docker/web/foo", "**", "!util/docker/web", "util/docker/web/foo")).isTrue();
        assertThat(matches("dist/x.whl", "**", "!dist/*.whl")).isFalse();
        assertThat(matches("x", "*", "!x", "x")).isTrue();
    }

    @Test
    void dotNeverMatchesAndEmptyPatternsSkipped() {
        assertThat(matches(".", "*")).isFalse();
        assertThat(new PatternMatcher(List.of("docs", "config", "", "  ")).patterns()).containsExactly("docs", "config");
        assertThat(matches("/any/path/there")).isFalse();
    }

    @Test
    void invalidPatterns() {
        assertThatThrownBy(() -> new PatternMatcher(List.of("!"))).hasMessage("illegal exclusion pattern: \"!\"");
        assertThatThrownBy(() -> new PatternMatcher(List.of("["))).hasMessage("syntax error in pattern");
        assertThatThrownBy(() -> new PatternMatcher(List.of("[]a]"))).hasMessage("syntax error in pattern");
    }

    @Test
    void readsIgnoreFile() {
        String file = "\uFEFF# comment\n  node_modules  \n/tmp/\n! /keep/../keep.txt\n *.log\n\n#x\n./a//b/\n";
        assertThat(DockerIgnore.read(file)).containsExactly("node_modules", "tmp", "!keep.txt", "*.log", "a/b");
        PatternMatcher pm = DockerIgnore.matcher("*.log\n!important.log\n");
        assertThat(pm.hasExclusions()).isTrue();
        assertThat(pm.matchesOrParentMatches("a.log")).isTrue();
        assertThat(pm.matchesOrParentMatches("important.log")).isFalse();
        assertThat(pm.matchesOrParentMatches("sub/a.log")).isFalse();
    }

    private static boolean matches(String path, String... patterns) {
        return new PatternMatcher(List.of(patterns)).matchesOrParentMatches(path);
    }
}
