package dev.berth.runtime;

import dev.berth.sys.mount.DeviceNode;
import dev.berth.sys.proc.ProcFs;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import dev.berth.common.Json;

import static org.assertj.core.api.Assertions.assertThat;

/** Deterministic host facts and golden-file helpers for spec tests. */
final class Fixtures {
    /** This test host: every capability up to CAP_CHECKPOINT_RESTORE except CAP_SYS_RESOURCE. */
    static final long CAP_BND = 0x1fffeffffffL;

    private Fixtures() {}

    static HostInfo host() {
        Map<String, ProcFs.Rlimit> rl = new LinkedHashMap<>();
        rl.put("RLIMIT_CORE", new ProcFs.Rlimit("RLIMIT_CORE", 0, -1));
        rl.put("RLIMIT_NPROC", new ProcFs.Rlimit("RLIMIT_NPROC", 96365, 96365));
        rl.put("RLIMIT_NOFILE", new ProcFs.Rlimit("RLIMIT_NOFILE", 20000, 20000));
        rl.put("RLIMIT_MEMLOCK", new ProcFs.Rlimit("RLIMIT_MEMLOCK", 8388608, 8388608));
        Map<String, DeviceNode> devs = Map.of(
                "/dev/fuse", new DeviceNode("/dev/fuse", "c", 10, 229, 0666, 0, 0),
                "/dev/sda", new DeviceNode("/dev/sda", "b", 8, 0, 0660, 0, 6));
        return new HostInfo(CAP_BND, "6.18.44-test", "amd64", false, rl, List.of(), Optional.of(Path.of("/usr/bin/catatonit")),
                true, true, p -> {
                    DeviceNode d = devs.get(p);
                    if (d == null) {
                        throw new IOException("no such device");
                    }
                    return d;
                }, List.of(new DeviceNode("/dev/null", "c", 1, 3, 0666, 0, 0), new DeviceNode("/dev/sda", "b", 8, 0, 0660, 0, 6)));
    }

    static Path rootfs() {
        try {
            return Path.of(Fixtures.class.getResource("/rootfs").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static RuntimeContainerSpec.Security security() {
        return new RuntimeContainerSpec.Security(false, List.of(), List.of(), RuntimeContainerSpec.SeccompMode.DEFAULT, null, false, null, null);
    }

    static RuntimeContainerSpec spec(String id) {
        return new RuntimeContainerSpec(id, rootfs(), List.of(), false, List.of("sh", "-c", "echo hi"), List.of("FOO=bar"), "/", "",
                List.of(), "abc123", "", false, List.of(), security(), "/run/netns/btrt-test",
                new RuntimeContainerSpec.Namespaces(null, null, null, null, List.of(), List.of()), null, List.of(), Map.of(),
                List.of(), 64L * 1024 * 1024, false, "/berth", Map.of());
    }

    /** Compares {@code actual} with the golden file, or (re)writes it with -Dgolden.update=true. */
    static void assertGolden(String name, Object actual) throws IOException {
        Path src = Path.of("src/test/resources/golden").resolve(name);
        String pretty = Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(actual) + "\n";
        if (Boolean.getBoolean("golden.update") || !Files.exists(src)) {
            Files.createDirectories(src.getParent());
            Files.writeString(src, pretty);
        }
        JsonNode expected = Json.mapper().readTree(Files.readString(src));
        JsonNode got = Json.mapper().readTree(pretty);
        assertThat(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(got))
                .as("golden %s (rerun with -Dgolden.update=true to accept)", name)
                .isEqualTo(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(expected));
    }
}
