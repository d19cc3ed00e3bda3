package dev.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SystemIT extends E2E {
    SystemIT(Engine e) {
        super(e);
    }

    @Test
    void versionAndInfo() {
        assertThat(ok("version", "--format", "{{.Server.Version}}").trim()).isNotEmpty();
        assertThat(ok("version")).contains("Server:").contains("API version:");
        assertThat(ok("info", "--format", "{{.OSType}}").trim()).isEqualTo("linux");
        assertThat(ok("info")).contains("Server Version:").contains("Kernel Version:");
    }

    @Test
    void eventsBetweenSinceAndUntil() {
        long since = System.currentTimeMillis() / 1000 - 1;
        String name = Engine.name("events");
        ok("run", "--name", name, "busybox", "true");
        ok("rm", name);
        long until = System.currentTimeMillis() / 1000 + 1;
        Cmd.Result r = docker("events", "--since", String.valueOf(since), "--until", String.valueOf(until),
                "--filter", "container=" + name, "--format", "{{.Action}}");
        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(r.out().lines().toList()).as(r.describe()).contains("create", "start", "die", "destroy");
    }

    @Test
    void systemDf() {
        assertThat(ok("system", "df")).contains("Images").contains("Containers").contains("Local Volumes");
    }
}
