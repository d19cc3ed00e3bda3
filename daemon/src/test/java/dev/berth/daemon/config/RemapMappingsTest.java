package dev.berth.daemon.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.api.model.HostConfig;
import dev.berth.common.BerthException;
import dev.berth.common.Json;
import dev.berth.oci.tar.IdMapping;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RemapMappingsTest {
    @TempDir
    Path etc;

    private void ranges(String subuid, String subgid) throws Exception {
        Files.writeString(etc.resolve("subuid"), subuid);
        Files.writeString(etc.resolve("subgid"), subgid);
    }

    private static HostConfig host(String json) throws Exception {
        return Json.mapper().readValue(json, HostConfig.class);
    }

    @Test
    void anUnremappedDaemonGivesTheIdentityAndReadsNothing() throws Exception {
        assertThat(RemapMappings.NONE.enabled()).isFalse();
        assertThat(RemapMappings.NONE.forContainer(null)).isSameAs(IdMapping.IDENTITY);
        assertThat(new RemapMappings("", etc).forContainer(host("{}"))).isSameAs(IdMapping.IDENTITY); // no files there
    }

    @Test
    void defaultIsDockremapsFirstRanges() throws Exception {
        ranges("alice:100000:65536\ndockremap:165536:65536\ndockremap:500000:10\n", "dockremap:231072:65536\n");
        IdMapping m = new RemapMappings("default", etc).forContainer(host("{}"));
        assertThat(m.uids()).containsExactly(new IdMapping.Range(0, 165536, 65536));
        assertThat(m.gids()).containsExactly(new IdMapping.Range(0, 231072, 65536));
        assertThat(new RemapMappings("default", etc).forContainer(null)).isEqualTo(m);
    }

    @Test
    void aNamedUserAndGroup() throws Exception {
        ranges("bob:200000:1000\n", "staff:300000:2000\nbob:1:1\n");
        assertThat(new RemapMappings("bob:staff", etc).forContainer(null))
                .isEqualTo(new IdMapping(List.of(new IdMapping.Range(0, 200000, 1000)), List.of(new IdMapping.Range(0, 300000, 2000))));
        assertThat(new RemapMappings("bob", etc).forContainer(null).gids()).containsExactly(new IdMapping.Range(0, 1, 1));
    }

    @Test
    void hostUsernsAndPrivilegedContainersAreNotRemapped() throws Exception {
        ranges("dockremap:100000:65536\n", "dockremap:100000:65536\n");
        RemapMappings r = new RemapMappings("default", etc);
        assertThat(r.forContainer(host("{\"UsernsMode\":\"host\"}"))).isSameAs(IdMapping.IDENTITY);
        assertThat(r.forContainer(host("{\"Privileged\":true}"))).isSameAs(IdMapping.IDENTITY);
        assertThat(r.forContainer(host("{\"UsernsMode\":\"\"}")).isIdentity()).isFalse();
    }

    @Test
    void missingRangesAreAnError() throws Exception {
        ranges("someone:100000:65536\n", "");
        assertThatThrownBy(() -> new RemapMappings("default", etc).forContainer(null)).isInstanceOf(BerthException.class)
                .hasMessageContaining("no subordinate ids for user dockremap");
    }
}
