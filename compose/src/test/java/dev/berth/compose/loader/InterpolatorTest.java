package dev.berth.compose.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.common.BerthException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class InterpolatorTest {
    private static final Map<String, String> ENV = new HashMap<>(Map.of("SET", "value", "EMPTY", "", "NUM", "42"));
    private final Interpolator interp = new Interpolator(ENV::get);

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "plain|plain",
            "$SET|value",
            "${SET}|value",
            "a${SET}b|avalueb",
            "$SET-x|value-x",
            "${UNSET}|''",
            "${UNSET:-def}|def",
            "${EMPTY:-def}|def",
            "${EMPTY-def}|''",
            "${UNSET-def}|def",
            "${SET:-def}|value",
            "${SET:+alt}|alt",
            "${EMPTY:+alt}|''",
            "${EMPTY+alt}|alt",
            "${UNSET+alt}|''",
            "$$SET|$SET",
            "$${SET}|${SET}",
            "cost: $$5|cost: $5",
            "${UNSET:-${SET}}|value",
            "${UNSET:-${ALSO_UNSET:-deep}}|deep",
            "${UNSET:-a b c}|a b c",
            "${NUM}:80|42:80",
            "trailing $|trailing $",
    })
    void table(String in, String expected) {
        assertThat(interp.interpolate(in)).isEqualTo(expected.equals("''") ? "" : expected);
    }

    @Test
    void requiredVariables() {
        assertThat(interp.interpolate("${SET:?must}")).isEqualTo("value");
        assertThat(interp.interpolate("${EMPTY?must}")).isEmpty();
        assertThatThrownBy(() -> interp.interpolate("${UNSET:?please set UNSET}"))
                .isInstanceOf(BerthException.class).hasMessageContaining("required variable UNSET is missing a value: please set UNSET");
        assertThatThrownBy(() -> interp.interpolate("${EMPTY:?}")).hasMessageContaining("EMPTY");
    }

    @Test
    void invalidFormats() {
        assertThatThrownBy(() -> interp.interpolate("${SET")).isInstanceOf(BerthException.class);
        assertThatThrownBy(() -> interp.interpolate("${}")).isInstanceOf(BerthException.class);
        assertThatThrownBy(() -> interp.interpolate("${SET!x}")).isInstanceOf(BerthException.class);
        assertThatThrownBy(() -> interp.interpolate("$-")).isInstanceOf(BerthException.class);
    }

    @Test
    void unsetWarns() {
        interp.interpolate("${NOPE}");
        assertThat(interp.warnings()).anyMatch(w -> w.contains("\"NOPE\" variable is not set"));
    }

    @Test
    void treeErrorsNameFileLineAndField() {
        var parsed = YamlTree.parse("c.yaml", "services:\n  web:\n    image: ${IMG:?no image}\n");
        assertThatThrownBy(() -> interp.interpolateTree(parsed.root(), "", parsed))
                .hasMessageContaining("c.yaml:3").hasMessageContaining("services.web.image").hasMessageContaining("no image");
    }
}
