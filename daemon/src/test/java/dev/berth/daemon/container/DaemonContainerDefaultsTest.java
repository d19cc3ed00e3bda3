package dev.berth.daemon.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.model.ContainerCreateRequest;
import dev.berth.api.model.HostConfig;
import dev.berth.common.Json;
import dev.berth.daemon.config.ContainerDefaults;
import dev.berth.daemon.config.DaemonConfig;
import dev.berth.image.ImageRuntimeConfig;
import dev.berth.runtime.RuntimeContainerSpec;
import dev.berth.runtime.RuntimeContainerSpec.SeccompMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's container defaults (--default-ulimit, --default-shm-size, --init, --seccomp-profile,
 * --no-new-privileges, --default-cgroupns-mode) in the HostConfig written at create and in the
 * runtime spec of each start, over fakes; a container's own setting always wins.
 */
class DaemonContainerDefaultsTest {
    private static final String PROFILE = "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[]}";

    @TempDir
    Path tmp;

    private ContainerManager manager(ContainerDefaults defaults, Fakes.Runtime runtime) {
        DaemonConfig d = DaemonConfig.defaults();
        return manager(defaults, runtime, d.logDriver(), d.logOpts());
    }

    private ContainerManager manager(ContainerDefaults defaults, Fakes.Runtime runtime, String logDriver, Map<String, String> logOpts) {
        var images = new Fakes.Images(tmp.resolve("layers"));
        images.add("busybox:latest", new ImageRuntimeConfig(null, null, List.of("PATH=/bin"), null, List.of("sh"), null, null, Map.of(),
                null, null, null, null, null));
        DaemonConfig d = DaemonConfig.defaults();
        DaemonConfig config = new DaemonConfig(d.hosts(), tmp.resolve("data"), tmp.resolve("exec"), d.pidFile(), "crun", d.logLevel(),
                logDriver, logOpts, false, null, null, null, false, "", true, null, "0.0.0.0", List.of(), List.of(), List.of(),
                false, null, true, defaults, null, null);
        return new ContainerManager(config, images, Map.of("crun", runtime), "crun", new Fakes.Network(),
                new Fakes.Volumes(tmp.resolve("volumes")), new Fakes.Events(), Clock.systemUTC());
    }

    private static ContainerDefaults daemonDefaults(String seccomp) {
        return new ContainerDefaults(List.of(new HostConfig.Ulimit("nofile", 1024, 2048), new HostConfig.Ulimit("nproc", 100, 200)),
                128L << 20, true, seccomp, true, "private");
    }

    private static String run(ContainerManager m, String name, Map<String, Object> hostConfig) {
        var cfg = Harness.config("busybox", "true");
        String id = m.create(new ContainerCreateRequest(name, null, cfg, Harness.host(hostConfig), null)).id();
        m.start(name, null);
        return id;
    }

    @Test
    void daemonDefaultsReachTheSpecAndInspect() throws Exception {
        var rt = new Fakes.Runtime();
        var m = manager(daemonDefaults(PROFILE), rt);
        String id = run(m, "plain", Map.of());
        RuntimeContainerSpec spec = rt.specs.get(id);
        assertThat(spec.ulimits()).containsExactly(new RuntimeContainerSpec.Ulimit("nofile", 1024, 2048),
                new RuntimeContainerSpec.Ulimit("nproc", 100, 200));
        assertThat(spec.shmSizeBytes()).isEqualTo(128L << 20);
        assertThat(spec.init()).isTrue();
        assertThat(spec.security().seccomp()).isEqualTo(SeccompMode.CUSTOM);
        assertThat(spec.security().seccompProfileJson()).isEqualTo(PROFILE);
        assertThat(spec.security().noNewPrivileges()).isTrue();
        assertThat(spec.namespaces().cgroup()).isEqualTo("private"); // a new cgroup namespace
        var hc = m.inspect(id, false).hostConfig();
        // like dockerd, shm size and cgroupns mode are written at create; ulimits are merged at start only
        assertThat(hc.shmSize()).isEqualTo(128L << 20);
        assertThat(hc.cgroupnsMode()).isEqualTo("private");
        assertThat(hc.ulimits()).isNullOrEmpty();
        assertThat(hc.init()).isNull();
        assertGolden("daemon-container-defaults-spec.json", spec);
    }

    @Test
    void theDaemonsLogDriverAndOptionsAreStoredAsDockerdMergesThem() {
        var m = manager(ContainerDefaults.none(), new Fakes.Runtime(), "local", Map.of("max-size", "5k", "max-file", "2"));
        var plain = m.inspect(run(m, "logplain", Map.of()), false);
        assertThat(plain.hostConfig().logConfig()).isEqualTo(new HostConfig.LogConfig("local", Map.of("max-file", "2", "max-size", "5k")));
        assertThat(plain.logPath()).as("dockerd shows no LogPath for local").isEmpty();
        var own = m.inspect(run(m, "logown", Map.of("LogConfig", Map.of("Type", "local", "Config", Map.of("max-size", "1k")))), false);
        assertThat(own.hostConfig().logConfig().config()).isEqualTo(Map.of("max-file", "2", "max-size", "1k"));
        var other = m.inspect(run(m, "logjson", Map.of("LogConfig", Map.of("Type", "json-file"))), false);
        assertThat(other.hostConfig().logConfig()).isEqualTo(new HostConfig.LogConfig("json-file", Map.of()));
        assertThat(other.logPath()).endsWith("-json.log");
    }

    @Test
    void containerSettingsWin() {
        var rt = new Fakes.Runtime();
        var m = manager(daemonDefaults(PROFILE), rt);
        String id = run(m, "own", Map.of(
                "Ulimits", List.of(Map.of("Name", "nofile", "Soft", 10, "Hard", 20)),
                "ShmSize", 1 << 20,
                "Init", false,
                "SecurityOpt", List.of("seccomp=unconfined", "no-new-privileges=false"),
                "CgroupnsMode", "host"));
        RuntimeContainerSpec spec = rt.specs.get(id);
        assertThat(spec.ulimits()).containsExactly(new RuntimeContainerSpec.Ulimit("nofile", 10, 20),
                new RuntimeContainerSpec.Ulimit("nproc", 100, 200));
        assertThat(spec.shmSizeBytes()).isEqualTo(1 << 20);
        assertThat(spec.init()).isFalse();
        assertThat(spec.security().seccomp()).isEqualTo(SeccompMode.UNCONFINED);
        assertThat(spec.security().noNewPrivileges()).isFalse();
        assertThat(spec.namespaces().cgroup()).isEqualTo("host");
        assertThat(m.inspect(id, false).hostConfig().cgroupnsMode()).isEqualTo("host");
    }

    @Test
    void ownSeccompProfileWinsAndPrivilegedGetsNone() {
        var rt = new Fakes.Runtime();
        var m = manager(daemonDefaults(PROFILE), rt);
        String own = run(m, "ownprofile", Map.of("SecurityOpt", List.of("seccomp={\"defaultAction\":\"SCMP_ACT_LOG\"}")));
        assertThat(rt.specs.get(own).security().seccompProfileJson()).isEqualTo("{\"defaultAction\":\"SCMP_ACT_LOG\"}");
        String priv = run(m, "priv", Map.of("Privileged", true));
        assertThat(rt.specs.get(priv).security().seccomp()).isEqualTo(SeccompMode.DEFAULT); // the runtime drops seccomp for privileged
        assertThat(rt.specs.get(priv).security().seccompProfileJson()).isNull();
    }

    @Test
    void unconfinedDaemonProfile() {
        var rt = new Fakes.Runtime();
        var m = manager(daemonDefaults(ContainerDefaults.UNCONFINED), rt);
        String id = run(m, "unconf", Map.of());
        assertThat(rt.specs.get(id).security().seccomp()).isEqualTo(SeccompMode.UNCONFINED);
    }

    @Test
    void withoutDaemonDefaultsNothingChanges() {
        var rt = new Fakes.Runtime();
        var m = manager(ContainerDefaults.none(), rt);
        String id = run(m, "none", Map.of());
        RuntimeContainerSpec spec = rt.specs.get(id);
        assertThat(spec.ulimits()).isEmpty();
        assertThat(spec.shmSizeBytes()).isEqualTo(64L << 20);
        assertThat(spec.init()).isFalse();
        assertThat(spec.security().seccomp()).isEqualTo(SeccompMode.DEFAULT);
        assertThat(spec.security().noNewPrivileges()).isFalse();
        assertThat(m.inspect(id, false).hostConfig().cgroupnsMode()).isEqualTo("host");
    }

    @Test
    void securityOptsDefaultNoNewPrivileges() {
        assertThat(SecurityOpts.parse(List.of(), true).noNewPrivileges()).isTrue();
        assertThat(SecurityOpts.parse(List.of("no-new-privileges=false"), true).noNewPrivileges()).isFalse();
        assertThat(SecurityOpts.parse(List.of("no-new-privileges"), false).noNewPrivileges()).isTrue();
        assertThat(SecurityOpts.parse(null, false).noNewPrivileges()).isFalse();
    }

    /** The daemon-default-relevant part of the spec, against a golden file (rewrite with -Dgolden.update=true). */
    private static void assertGolden(String name, RuntimeContainerSpec spec) throws Exception {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("ulimits", spec.ulimits());
        view.put("shmSizeBytes", spec.shmSizeBytes());
        view.put("init", spec.init());
        var sec = spec.security();
        // masked paths are left out: they vary with the host's CPUs (thermal_throttle entries)
        view.put("security", new java.util.TreeMap<>(Map.of("seccomp", sec.seccomp().name(), "seccompProfileJson", sec.seccompProfileJson(),
                "noNewPrivileges", sec.noNewPrivileges(), "privileged", sec.privileged())));
        view.put("cgroupNamespace", spec.namespaces().cgroup());
        String text = Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(view) + "\n";
        Path golden = Path.of("src/test/resources/golden").resolve(name);
        if (Boolean.getBoolean("golden.update") || !Files.exists(golden)) {
            Files.createDirectories(golden.getParent());
            Files.writeString(golden, text);
        }
        assertThat(text).as("golden %s (rerun with -Dgolden.update=true to accept)", name).isEqualTo(Files.readString(golden));
    }
}
