package dev.berth.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** dockerd's --group rules: a configured missing group fails, the missing default group only warns; numbers are gids. */
class SocketGroupTest {
    private final List<String> warnings = new ArrayList<>();

    @Test
    void explicitMissingGroupFailsLikeDockerd() {
        assertThatThrownBy(() -> SocketGroup.resolve("no-such-group-x", true, "docker", warnings::add, "/run/b.sock"))
                .hasMessage("group no-such-group-x not found");
        assertThat(warnings).isEmpty();
    }

    @Test
    void missingDefaultGroupOnlyWarns() {
        // the default name, whether or not given explicitly, is tolerated as dockerd does
        assertThat(SocketGroup.resolve("no-such-default-group-x", false, "no-such-default-group-x", warnings::add, "/run/b.sock")).isNull();
        assertThat(SocketGroup.resolve("no-such-default-group-x", true, "no-such-default-group-x", warnings::add, "/run/b.sock")).isNull();
        assertThat(warnings).containsOnly("could not change group /run/b.sock to no-such-default-group-x: group no-such-default-group-x not found");
    }

    @Test
    void emptyGroupLeavesTheSocketAlone() {
        assertThat(SocketGroup.resolve("", true, "docker", warnings::add, "/run/b.sock")).isNull();
        assertThat(SocketGroup.resolve(null, false, "docker", warnings::add, "/run/b.sock")).isNull();
        assertThat(warnings).isEmpty();
    }

    @Test
    void numericGidsAndExistingNamesResolve() {
        assertThat(SocketGroup.resolve("4242", true, "docker", warnings::add, "/run/b.sock")).isNotNull();
        assertThat(SocketGroup.resolve("root", true, "docker", warnings::add, "/run/b.sock").getName()).isEqualTo("root");
    }
}
