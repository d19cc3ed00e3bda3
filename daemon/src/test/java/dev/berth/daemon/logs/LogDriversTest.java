package dev.berth.daemon.logs;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.common.BerthException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogDriversTest {
    @Test
    void localTakesOnlyItsThreeKeysAndTheCommonOnes() {
        assertThatCode(() -> LogDrivers.validate("local", Map.of("max-size", "10k", "max-file", "3", "compress", "false")))
                .doesNotThrowAnyException();
        assertThatCode(() -> LogDrivers.validate("local", Map.of("mode", "non-blocking", "max-buffer-size", "4m")))
                .doesNotThrowAnyException();
        // values are the start's business, as in dockerd
        assertThatCode(() -> LogDrivers.validate("local", Map.of("max-size", "abc"))).doesNotThrowAnyException();
        for (String key : new String[] {"labels", "env", "tag", "env-regex"}) {
            assertThatThrownBy(() -> LogDrivers.validate("local", Map.of(key, "x"))).isInstanceOf(BerthException.class)
                    .hasMessage("unknown log opt '" + key + "' for log driver local");
        }
    }

    @Test
    void commonOptionsAreCheckedFirstAndNoneTakesAnything() {
        assertThatThrownBy(() -> LogDrivers.validate("local", Map.of("mode", "fast")))
                .hasMessage("logger: logging mode not supported: fast");
        assertThatThrownBy(() -> LogDrivers.validate("json-file", Map.of("max-buffer-size", "1m")))
                .hasMessage("logger: max-buffer-size option is only supported with 'mode=non-blocking'");
        assertThatCode(() -> LogDrivers.validate("none", Map.of("anything", "x"))).doesNotThrowAnyException();
    }

    @Test
    void jsonFileKeepsItsMessages() {
        assertThatThrownBy(() -> LogDrivers.validate("json-file", Map.of("foo", "1")))
                .hasMessage("unknown log opt 'foo' for json-file log driver");
        assertThatThrownBy(() -> LogDrivers.validate("json-file", Map.of("max-file", "0"))).hasMessage("max-file cannot be less than 1");
        assertThatThrownBy(() -> LogDrivers.validate("json-file", Map.of("compress", "maybe")))
                .hasMessage("error reading compress log option: strconv.ParseBool: parsing \"maybe\": invalid syntax");
        assertThatCode(() -> LogDrivers.validate("json-file", Map.of("labels", "a", "tag", "t", "max-size", "1.5m")))
                .doesNotThrowAnyException();
    }
}
