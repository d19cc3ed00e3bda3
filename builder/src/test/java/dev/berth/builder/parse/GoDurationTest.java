package dev.berth.builder.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.builder.instructions.GoDuration;
import org.junit.jupiter.api.Test;

class GoDurationTest {
    @Test
    void parse() {
        assertThat(GoDuration.parse("0")).isZero();
        assertThat(GoDuration.parse("1h2m3s")).isEqualTo(3_723_000_000_000L);
        assertThat(GoDuration.parse("1.5s")).isEqualTo(1_500_000_000L);
        assertThat(GoDuration.parse("300ms")).isEqualTo(300_000_000L);
        assertThat(GoDuration.parse("10us")).isEqualTo(10_000L);
        assertThatThrownBy(() -> GoDuration.parse("10")).hasMessageContaining("missing unit");
        assertThatThrownBy(() -> GoDuration.parse("1x")).hasMessageContaining("unknown unit");
    }

    @Test
    void format() {
        assertThat(GoDuration.format(0)).isEqualTo("0s");
        assertThat(GoDuration.format(300_000_000_000L)).isEqualTo("5m0s");
        assertThat(GoDuration.format(3_000_000_000L)).isEqualTo("3s");
        assertThat(GoDuration.format(1_500_000_000L)).isEqualTo("1.5s");
        assertThat(GoDuration.format(3_723_000_000_000L)).isEqualTo("1h2m3s");
        assertThat(GoDuration.format(500_000_000L)).isEqualTo("500ms");
        assertThat(GoDuration.format(1_500L)).isEqualTo("1.5µs");
        assertThat(GoDuration.format(12L)).isEqualTo("12ns");
    }
}
