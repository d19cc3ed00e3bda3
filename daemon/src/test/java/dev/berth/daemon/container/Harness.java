package dev.berth.daemon.container;

import dev.berth.api.model.ContainerConfig;
import dev.berth.api.model.ContainerCreateRequest;
import dev.berth.api.model.HostConfig;
import dev.berth.common.Json;
import dev.berth.daemon.config.DaemonConfig;
import dev.berth.image.ImageRuntimeConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A ContainerManager over fakes in a temp directory. */
final class Harness {
    final Path dir;
    final Fakes.Images images;
    final Fakes.Runtime runtime = new Fakes.Runtime();
    final Fakes.Network network = new Fakes.Network();
    final Fakes.Volumes volumes;
    final Fakes.Events events = new Fakes.Events();
    final DaemonConfig config;
    final ContainerManager mgr;

    Harness(Path dir) {
        this.dir = dir;
        this.images = new Fakes.Images(dir.resolve("layers"));
        this.volumes = new Fakes.Volumes(dir.resolve("volumes"));
        images.add("busybox:latest", new ImageRuntimeConfig(null, null, List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
                null, List.of("sh"), null, null, Map.of("img", "1"), null, null, null, null, null));
        images.add("web:latest", new ImageRuntimeConfig("www", Set.of("80/tcp"), List.of("A=image", "B=image"),
                List.of("/entry"), List.of("serve"), Set.of("/data"), "/srv", Map.of("a", "img", "b", "img"), "SIGQUIT",
                null, null, null, null));
        DaemonConfig d = DaemonConfig.defaults();
        this.config = new DaemonConfig(d.hosts(), dir.resolve("data"), dir.resolve("exec"), d.pidFile(), "crun", d.logLevel(), d.logDriver(),
                d.logOpts(), false, null, null, null, false, "", true, null, "0.0.0.0", List.of(), List.of(), List.of(), false, null, true);
        this.mgr = new ContainerManager(config, images, Map.of("crun", runtime), "crun", network, volumes, events, Clock.systemUTC());
    }

    static ContainerConfig config(String image, String... cmd) {
        return Json.mapper().convertValue(Map.of("Image", image, "Cmd", List.of(cmd)), ContainerConfig.class);
    }

    static HostConfig host(Map<String, Object> fields) {
        return Json.mapper().convertValue(fields, HostConfig.class);
    }

    String create(String name, ContainerConfig cfg, HostConfig hc) {
        return mgr.create(new ContainerCreateRequest(name, null, cfg, hc, null)).id();
    }

    String create(String name) {
        return create(name, config("busybox"), null);
    }
}
