package dev.berth.oci.ref;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ReferenceTest {
    @Test
    void normalizesDockerHubNames() {
        Reference r = Reference.parseWithDefaultTag("busybox");
        assertThat(r.toString()).isEqualTo("docker.io/library/busybox:latest");
        assertThat(r.familiarString()).isEqualTo("busybox:latest");
        assertThat(Reference.parseWithDefaultTag("user/app:1.0").toString()).isEqualTo("docker.io/user/app:1.0");
        assertThat(Reference.parseWithDefaultTag("user/app:1.0").familiarString()).isEqualTo("user/app:1.0");
        assertThat(Reference.parse("index.docker.io/library/alpine:3").familiarString()).isEqualTo("alpine:3");
        assertThat(Reference.parse("docker.io/library/a/b").familiarName()).isEqualTo("library/a/b");
    }

    @Test
    void keepsOtherRegistries() {
        Reference r = Reference.parseWithDefaultTag("localhost:5000/x");
        assertThat(r.domain()).isEqualTo("localhost:5000");
        assertThat(r.familiarString()).isEqualTo("localhost:5000/x:latest");
        assertThat(Reference.parse("localhost/x:t").toString()).isEqualTo("localhost/x:t");
        assertThat(Reference.parse("my.reg/a/b:t").familiarString()).isEqualTo("my.reg/a/b:t");
    }

    @Test
    void parsesDigests() {
        String d = "sha256:" + "a".repeat(64);
        Reference r = Reference.parseWithDefaultTag("busybox@" + d);
        assertThat(r.tag()).isNull();
        assertThat(r.familiarString()).isEqualTo("busybox@" + d);
        assertThat(Reference.parse("busybox:1@" + d).toString()).isEqualTo("docker.io/library/busybox:1@" + d);
    }

    @Test
    void rejectsBadReferencesLikeDocker() {
        assertThatThrownBy(() -> Reference.parse("Busybox")).hasMessage("invalid reference format: repository name (library/Busybox) must be lowercase");
        assertThatThrownBy(() -> Reference.parse("a".repeat(64)))
                .hasMessageContaining("cannot specify 64-byte hexadecimal strings");
        assertThatThrownBy(() -> Reference.parse("bad name")).hasMessage("invalid reference format");
        assertThatThrownBy(() -> Reference.parse("x:")).hasMessage("invalid reference format");
        assertThatThrownBy(() -> Reference.parse("x@sha256:zz")).hasMessage("invalid reference format");
        assertThatThrownBy(() -> Reference.parse("-x")).hasMessage("invalid reference format");
        assertThatThrownBy(() -> Reference.parse("")).hasMessage("invalid reference format");
        assertThatThrownBy(() -> Reference.parse("x:" + "t".repeat(129))).hasMessage("invalid reference format");
    }
}
