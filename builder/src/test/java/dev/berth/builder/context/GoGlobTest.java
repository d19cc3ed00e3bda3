package dev.berth.builder.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Go filepath.Match behaviour (table after Go's own match tests). */
class GoGlobTest {

    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource(delimiter = '|', value = {
        "abc|abc|true",
        "*|abc|true",
        "*c|abc|true",
        "a*|a|true",
        "a*|abc|true",
        "a*|ab/c|false",
        "a*/b|abc/b|true",
        "a*/b|a/c/b|false",
        "a*b*c*d*e*/f|axbxcxdxe/f|true",
        "a*b*c*d*e*/f|axbxcxdxexxx/f|true",
        "a*b*c*d*e*/f|axbxcxdxe/xxx/f|false",
        "a*b*c*d*e*/f|axbxcxdxexxx/fff|false",
        "a*b?c*x|abxbbxdbxebxczzx|true",
        "a*b?c*x|abxbbxdbxebxczzy|false",
        "ab[c]|abc|true",
        "ab[b-d]|abc|true",
        "ab[e-g]|abc|false",
        "ab[^c]|abc|false",
        "ab[^b-d]|abc|false",
        "ab[^e-g]|abc|true",
        "a\\*b|a*b|true",
        "a\\*b|ab|false",
        "a?b|a☺b|true",
        "a[^a]b|a☺b|true",
        "a???b|a☺b|false",
        "[a-ζ]*|α|true",
        "*[a-ζ]|A|false",
        "a?b|a/b|false",
        "a*b|a/b|false",
        "[\\]a]|]|true",
        "[\\-]|-|true",
        "[x\\-]|x|true",
        "[x\\-]|-|true",
        "[x\\-]|z|false",
        "*x|xxx|true",
        "arr[[]0].txt|arr[0].txt|true",
        "index.?s|index.js|true",
    })
    void match(String pattern, String name, boolean expected) {
        assertThat(GoGlob.match(pattern, name)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"[]a]|]", "[-]|-", "[x-]|x", "[-x]|x", "\\|a", "[a-b-c]|a", "[|a", "[^|a",
        "[^bc|a", "a[|a", "a[|ab"})
    void badPatterns(String pattern, String name) {
        assertThatThrownBy(() -> GoGlob.match(pattern, name)).isInstanceOf(GoGlob.BadPatternException.class);
    }

    @Test
    void cleanAndContextPaths() {
        assertThat(GoPath.clean("a//b/./c/..")).isEqualTo("a/b");
        assertThat(GoPath.clean("/../x")).isEqualTo("/x");
        assertThat(GoPath.clean("../x")).isEqualTo("../x");
        assertThat(GoPath.clean("")).isEqualTo(".");
        assertThat(GoPath.contextPath("../../something")).isEqualTo("something");
        assertThat(GoPath.contextPath("/abs/dir/")).isEqualTo("abs/dir");
        assertThat(GoPath.contextPath(".")).isEmpty();
        assertThat(GoPath.base("/a/b/")).isEqualTo("b");
        assertThat(GoPath.dir("a/b")).isEqualTo("a");
    }
}
