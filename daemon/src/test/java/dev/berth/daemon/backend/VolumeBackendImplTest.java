package dev.berth.daemon.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.api.model.ContainerSummary;
import dev.berth.api.model.MountPoint;
import dev.berth.api.model.Volume;
import dev.berth.api.model.VolumeCreateRequest;
import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import dev.berth.common.Filters;
import dev.berth.daemon.events.EventBus;
import dev.berth.volume.LocalVolumeService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VolumeBackendImplTest {
    @TempDir
    Path dataRoot;

    final List<ContainerSummary> containers = new ArrayList<>();
    final EventBus events = new EventBus();

    private VolumeBackendImpl backend(LocalVolumeService svc) {
        return new VolumeBackendImpl(svc, ContainerUsage.from(() -> containers), events);
    }

    private static ContainerSummary using(String id, String volume) {
        return new ContainerSummary(id, List.of("/c-" + id), "img", "sha256:x", "sh", 0, List.of(), null, null, Map.of(),
                "exited", "Exited (0)", null, null, List.of(new MountPoint("volume", volume, "/src", "/data", "local", "", true, "")));
    }

    @Test
    void inUseVolumesCannotBeRemoved() {
        var svc = new LocalVolumeService(dataRoot);
        var b = backend(svc);
        b.create(new VolumeCreateRequest("data", "local", Map.of(), Map.of()));
        containers.add(using("aaa", "data"));
        containers.add(using("bbb", "data"));
        assertThatThrownBy(() -> b.remove("data", false))
                .hasMessage("remove data: volume is in use - [aaa bbb]")
                .satisfies(e -> assertThat(((BerthException) e).kind()).isEqualTo(ErrorKind.CONFLICT));
        assertThatThrownBy(() -> b.remove("nope", false)).hasMessage("get nope: no such volume");
        b.remove("nope", true);
        containers.clear();
        b.remove("data", false);
        assertThat(b.list(Filters.NONE)).isEmpty();
        assertThat(events.recent(e -> true)).extracting(e -> e.type() + "/" + e.action()).containsExactly("volume/create", "volume/destroy");
    }

    @Test
    void pruneRemovesOnlyUnusedAnonymousUnlessAll() throws Exception {
        var svc = new LocalVolumeService(dataRoot);
        var b = backend(svc);
        var anon = svc.create(null, null, null, null);
        Files.writeString(anon.mountpoint().resolve("f"), "12345");
        var usedAnon = svc.create(null, null, null, null);
        containers.add(using("ccc", usedAnon.name()));
        b.create(new VolumeCreateRequest("named", null, null, null));
        Volume unnamedApi = b.create(new VolumeCreateRequest("", null, null, null));
        assertThat(unnamedApi.name()).matches("[a-f0-9]{64}");

        var r1 = b.prune(Filters.NONE);
        assertThat(r1.deleted()).containsExactly(anon.name());
        assertThat(r1.spaceReclaimed()).isEqualTo(5);
        var r2 = b.prune(Filters.parse("{\"all\":[\"true\"]}"));
        assertThat(r2.deleted()).containsExactlyInAnyOrder("named", unnamedApi.name());
        assertThat(b.list(Filters.NONE)).extracting(Volume::name).containsExactly(usedAnon.name());
    }

    @Test
    void listFiltersAndUsage() {
        var svc = new LocalVolumeService(dataRoot);
        var b = backend(svc);
        b.create(new VolumeCreateRequest("alpha", null, null, Map.of("team", "a")));
        b.create(new VolumeCreateRequest("beta", null, null, Map.of("team", "b")));
        containers.add(using("ddd", "beta"));
        assertThat(b.list(Filters.parse("{\"dangling\":[\"true\"]}"))).extracting(Volume::name).containsExactly("alpha");
        assertThat(b.list(Filters.parse("{\"dangling\":[\"false\"]}"))).extracting(Volume::name).containsExactly("beta");
        assertThat(b.list(Filters.parse("{\"label\":[\"team=a\"]}"))).extracting(Volume::name).containsExactly("alpha");
        assertThat(b.list(Filters.parse("{\"name\":[\"et\"]}"))).extracting(Volume::name).containsExactly("beta");
        assertThat(b.usage()).extracting(v -> v.name() + ":" + v.usageData().refCount()).containsExactly("alpha:0", "beta:1");
        assertThatThrownBy(() -> b.list(Filters.parse("{\"bogus\":[\"1\"]}"))).hasMessageContaining("invalid filter 'bogus'");
    }
}
