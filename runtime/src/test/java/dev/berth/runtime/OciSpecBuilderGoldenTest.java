package dev.berth.runtime;

import dev.berth.common.BerthException;
import dev.berth.oci.Mount;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OciSpecBuilderGoldenTest {
    private final OciSpecBuilder builder = new OciSpecBuilder(Fixtures.host(), new SeccompProfiles());

    private ObjectNode build(RuntimeContainerSpec s) {
        ObjectNode n = builder.build(s);
        ((ObjectNode) n.get("root")).put("path", "/rootfs"); // the fixture's location varies by checkout
        return n;
    }

    private static RuntimeContainerSpec withSecurity(RuntimeContainerSpec s, RuntimeContainerSpec.Security sec) {
        return new RuntimeContainerSpec(s.id(), s.rootfs(), s.rootfsMounts(), s.readonlyRootfs(), s.args(), s.env(), s.cwd(), s.user(),
                s.additionalGroups(), s.hostname(), s.domainname(), s.tty(), s.mounts(), sec, s.netnsPath(), s.namespaces(),
                s.resources(), s.ulimits(), s.sysctls(), s.devices(), s.shmSizeBytes(), s.init(), s.cgroupParent(), s.annotations());
    }

    @Test
    void defaultContainer() throws Exception {
        ObjectNode spec = build(Fixtures.spec("btrt-default"));
        Fixtures.assertGolden("default.json", spec);
        JsonNode caps = spec.path("process").path("capabilities");
        assertThat(caps.path("bounding")).hasSize(14);
        assertThat(caps.path("inheritable")).isEmpty();
        assertThat(spec.path("linux").path("cgroupsPath").asString()).isEqualTo("/berth/btrt-default");
        assertThat(spec.path("linux").path("seccomp").path("architectures").toString())
                .isEqualTo("[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X86\",\"SCMP_ARCH_X32\"]");
    }

    @Test
    void privileged() throws Exception {
        RuntimeContainerSpec s = withSecurity(Fixtures.spec("btrt-priv"),
                new RuntimeContainerSpec.Security(true, List.of(), List.of(), RuntimeContainerSpec.SeccompMode.DEFAULT, null, false, null, null));
        ObjectNode spec = build(s);
        Fixtures.assertGolden("privileged.json", spec);
        assertThat(spec.path("process").path("capabilities").path("bounding")).hasSize(40);
        assertThat(spec.path("process").path("capabilities").path("bounding").toString()).doesNotContain("CAP_SYS_RESOURCE");
        assertThat(spec.path("linux").has("seccomp")).isFalse();
        assertThat(spec.path("linux").has("maskedPaths")).isFalse();
    }

    @Test
    void capAddDrop() throws Exception {
        RuntimeContainerSpec s = withSecurity(Fixtures.spec("btrt-caps"),
                new RuntimeContainerSpec.Security(false, List.of("net_admin", "CAP_SYS_ADMIN"), List.of("MKNOD", "cap_net_raw"),
                        RuntimeContainerSpec.SeccompMode.DEFAULT, null, true, null, null));
        ObjectNode spec = build(s);
        Fixtures.assertGolden("cap-add-drop.json", spec);
        // with CAP_SYS_ADMIN the seccomp profile allows clone/clone3 unconditionally
        assertThat(spec.path("linux").path("seccomp").path("syscalls").toString()).contains("\"bpf\"");
    }

    @Test
    void capAllRules() {
        List<String> host = Capabilities.fromMask(Fixtures.CAP_BND);
        assertThat(Capabilities.compute(host, false, List.of("ALL"), List.of("NET_ADMIN"))).hasSize(39).doesNotContain("CAP_NET_ADMIN");
        assertThat(Capabilities.compute(host, false, List.of("CHOWN"), List.of("ALL"))).containsExactly("CAP_CHOWN");
        assertThatThrownBy(() -> Capabilities.compute(host, false, List.of("BOGUS"), List.of())).isInstanceOf(BerthException.class)
                .hasMessageContaining("unknown capability");
        assertThatThrownBy(() -> Capabilities.compute(host, false, List.of("SYS_RESOURCE"), List.of())).isInstanceOf(BerthException.class);
    }

    @Test
    void seccompUnconfined() throws Exception {
        RuntimeContainerSpec s = withSecurity(Fixtures.spec("btrt-unconf"),
                new RuntimeContainerSpec.Security(false, List.of(), List.of(), RuntimeContainerSpec.SeccompMode.UNCONFINED, null, false, null, null));
        ObjectNode spec = build(s);
        Fixtures.assertGolden("seccomp-unconfined.json", spec);
        assertThat(spec.path("linux").has("seccomp")).isFalse();
    }

    @Test
    void resources() throws Exception {
        RuntimeContainerSpec b = Fixtures.spec("btrt-res");
        RuntimeContainerSpec s = new RuntimeContainerSpec(b.id(), b.rootfs(), b.rootfsMounts(), b.readonlyRootfs(), b.args(), b.env(), b.cwd(),
                b.user(), b.additionalGroups(), b.hostname(), b.domainname(), b.tty(), b.mounts(), b.security(), null,
                new RuntimeContainerSpec.Namespaces("host", null, null, null, List.of(), List.of()),
                new RuntimeContainerSpec.Resources(64L << 20, 128L << 20, 32L << 20, 512L, 50000L, 100000L, "0", "0", 100L, 300, false, 500),
                List.of(new RuntimeContainerSpec.Ulimit("nofile", 1024, 2048)), Map.of("net.ipv4.ip_forward", "1"), b.devices(),
                128L << 20, false, "/custom", b.annotations());
        ObjectNode spec = build(s);
        Fixtures.assertGolden("resources.json", spec);
        assertThat(spec.path("linux").path("cgroupsPath").asString()).isEqualTo("/custom/btrt-res");
    }

    @Test
    void ulimitAboveHostHardIsRejected() {
        RuntimeContainerSpec b = Fixtures.spec("btrt-ul");
        RuntimeContainerSpec s = new RuntimeContainerSpec(b.id(), b.rootfs(), b.rootfsMounts(), b.readonlyRootfs(), b.args(), b.env(), b.cwd(),
                b.user(), b.additionalGroups(), b.hostname(), b.domainname(), b.tty(), b.mounts(), b.security(), b.netnsPath(), b.namespaces(),
                null, List.of(new RuntimeContainerSpec.Ulimit("nofile", 1024, 1048576)), Map.of(), b.devices(), 0, false, "/berth", Map.of());
        assertThatThrownBy(() -> builder.build(s)).isInstanceOf(BerthException.class).hasMessageContaining("exceeds the host's limit");
    }

    @Test
    void initAndTty() throws Exception {
        RuntimeContainerSpec b = Fixtures.spec("btrt-init");
        RuntimeContainerSpec s = new RuntimeContainerSpec(b.id(), b.rootfs(), b.rootfsMounts(), b.readonlyRootfs(), List.of("sleep", "10"),
                b.env(), "/tmp", b.user(), b.additionalGroups(), b.hostname(), b.domainname(), true,
                List.of(new Mount("bind", "/var/lib/berth/containers/x/hosts", "/etc/hosts", List.of("rbind", "rprivate"))),
                b.security(), b.netnsPath(), b.namespaces(), null, List.of(), Map.of(), List.of(), 0, true, "/berth", Map.of("a", "b"));
        ObjectNode spec = build(s);
        Fixtures.assertGolden("init.json", spec);
        assertThat(spec.path("process").path("args").toString()).isEqualTo("[\"/sbin/docker-init\",\"--\",\"sleep\",\"10\"]");
    }

    @Test
    void readonlyRootfs() throws Exception {
        RuntimeContainerSpec b = Fixtures.spec("btrt-ro");
        RuntimeContainerSpec s = new RuntimeContainerSpec(b.id(), b.rootfs(), b.rootfsMounts(), true, b.args(), b.env(), b.cwd(),
                b.user(), b.additionalGroups(), b.hostname(), b.domainname(), b.tty(), b.mounts(),
                new RuntimeContainerSpec.Security(false, List.of(), List.of(), RuntimeContainerSpec.SeccompMode.DEFAULT, null, false, List.of(), List.of("/proc/sys")),
                b.netnsPath(), b.namespaces(), null, List.of(), Map.of(), List.of(), 0, false, "/berth", Map.of());
        ObjectNode spec = build(s);
        Fixtures.assertGolden("readonly.json", spec);
        assertThat(spec.path("root").path("readonly").asBoolean()).isTrue();
    }

    @Test
    void userResolved() throws Exception {
        RuntimeContainerSpec b = Fixtures.spec("btrt-user");
        RuntimeContainerSpec s = new RuntimeContainerSpec(b.id(), b.rootfs(), b.rootfsMounts(), false, b.args(), List.of("PATH=/bin"), b.cwd(),
                "app", List.of("staff", "4242"), b.hostname(), b.domainname(), b.tty(), b.mounts(), b.security(),
                b.netnsPath(), b.namespaces(), null, List.of(), Map.of(), List.of(), 0, false, "/berth", Map.of());
        ObjectNode spec = build(s);
        Fixtures.assertGolden("user-resolved.json", spec);
        assertThat(spec.path("process").path("user").toString()).isEqualTo("{\"uid\":1000,\"gid\":1000,\"additionalGids\":[29,44,50,4242]}");
    }

    @Test
    void userForms() {
        Path root = Fixtures.rootfs();
        assertThat(UserResolver.resolve(root, "", List.of())).isEqualTo(new UserResolver.ExecUser(0, 0, List.of(), "/root"));
        assertThat(UserResolver.resolve(root, "1000:50", List.of()).gid()).isEqualTo(50);
        assertThat(UserResolver.resolve(root, "4000", List.of())).isEqualTo(new UserResolver.ExecUser(4000, 0, List.of(), "/"));
        assertThat(UserResolver.resolve(root, "daemon:video", List.of()).gid()).isEqualTo(44);
        assertThatThrownBy(() -> UserResolver.resolve(root, "ghost", List.of())).hasMessageContaining("unable to find user ghost");
    }

    @Test
    void devices() throws Exception {
        RuntimeContainerSpec b = Fixtures.spec("btrt-dev");
        RuntimeContainerSpec s = new RuntimeContainerSpec(b.id(), b.rootfs(), b.rootfsMounts(), false, b.args(), b.env(), b.cwd(),
                b.user(), b.additionalGroups(), b.hostname(), b.domainname(), b.tty(), b.mounts(), b.security(), b.netnsPath(), b.namespaces(),
                null, List.of(), Map.of(), List.of(new RuntimeContainerSpec.Device("/dev/fuse", "", "rwm"),
                        new RuntimeContainerSpec.Device("/dev/sda", "/dev/xvda", "r")), 0, false, "/berth", Map.of());
        ObjectNode spec = build(s);
        Fixtures.assertGolden("devices.json", spec);
        assertThatThrownBy(() -> builder.build(new RuntimeContainerSpec(b.id(), b.rootfs(), b.rootfsMounts(), false, b.args(), b.env(), b.cwd(),
                b.user(), b.additionalGroups(), b.hostname(), b.domainname(), b.tty(), b.mounts(), b.security(), b.netnsPath(), b.namespaces(),
                null, List.of(), Map.of(), List.of(new RuntimeContainerSpec.Device("/dev/nope", "", "rwm")), 0, false, "/berth", Map.of())))
                .hasMessageContaining("/dev/nope");
    }
}
