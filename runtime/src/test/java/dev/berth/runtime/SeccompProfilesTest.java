package dev.berth.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

class SeccompProfilesTest {
    private final SeccompProfiles profiles = new SeccompProfiles();

    private static HostInfo host(String kernel, String arch) {
        HostInfo h = Fixtures.host();
        return new HostInfo(h.capBounding(), kernel, arch, false, h.rlimits(), List.of(), Optional.empty(), true, true, h.devices(), List.of());
    }

    private static List<String> rulesFor(ObjectNode seccomp, String name) {
        List<String> out = new ArrayList<>();
        for (JsonNode c : seccomp.path("syscalls")) {
            for (JsonNode n : c.path("names")) {
                if (n.asString().equals(name)) {
                    out.add(c.path("action").asString() + (c.has("args") ? " args" : "") + (c.has("errnoRet") ? " errno=" + c.get("errnoRet").asLong() : ""));
                }
            }
        }
        return out;
    }

    @Test
    void defaultCapsGetMaskedCloneAndEnosysClone3() {
        ObjectNode s = profiles.resolveDefault(Capabilities.DEFAULTS, host("6.18.0", "amd64"));
        assertThat(s.path("defaultAction").asString()).isEqualTo("SCMP_ACT_ERRNO");
        assertThat(s.path("defaultErrnoRet").asLong()).isEqualTo(1);
        assertThat(rulesFor(s, "clone")).containsExactly("SCMP_ACT_ALLOW args");
        assertThat(rulesFor(s, "clone3")).containsExactly("SCMP_ACT_ERRNO errno=38");
        assertThat(rulesFor(s, "chroot")).containsExactly("SCMP_ACT_ALLOW"); // CAP_SYS_CHROOT is a default
        assertThat(rulesFor(s, "bpf")).isEmpty();
        assertThat(rulesFor(s, "arch_prctl")).containsExactly("SCMP_ACT_ALLOW");
        assertThat(rulesFor(s, "ptrace")).containsExactly("SCMP_ACT_ALLOW"); // minKernel 4.8
        assertThat(rulesFor(s, "s390_runtime_instr")).isEmpty();
    }

    @Test
    void sysAdminUnlocksCloneAndOldKernelsLosePtrace() {
        List<String> caps = new ArrayList<>(Capabilities.DEFAULTS);
        caps.add("CAP_SYS_ADMIN");
        ObjectNode s = profiles.resolveDefault(caps, host("4.4.0", "arm64"));
        assertThat(rulesFor(s, "clone")).containsExactly("SCMP_ACT_ALLOW");
        assertThat(rulesFor(s, "clone3")).containsExactly("SCMP_ACT_ALLOW");
        assertThat(rulesFor(s, "ptrace")).isEmpty();
        assertThat(rulesFor(s, "arch_prctl")).isEmpty();
        assertThat(rulesFor(s, "arm_fadvise64_64")).containsExactly("SCMP_ACT_ALLOW");
        assertThat(s.path("architectures").toString()).isEqualTo("[\"SCMP_ARCH_AARCH64\",\"SCMP_ARCH_ARM\"]");
    }

    @Test
    void customProfileKeepsErrnoRet() {
        ObjectNode s = profiles.resolveCustom("""
                {"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir"],"action":"SCMP_ACT_ERRNO","errnoRet":13}]}
                """, Capabilities.DEFAULTS, host("6.1.0", "amd64"));
        assertThat(rulesFor(s, "mkdir")).containsExactly("SCMP_ACT_ERRNO errno=13");
        assertThat(s.path("architectures")).isEmpty();
    }
}
