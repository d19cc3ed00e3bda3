package dev.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ImageIT extends E2E {
    ImageIT(Engine e) {
        super(e);
    }

    @Test
    void saveLoadRoundTrip() {
        String repo = Engine.name("save");
        ok("tag", "busybox", repo + ":1");
        String file = e.dir.resolve(repo + ".tar").toString();
        ok("save", "-o", file, repo + ":1");
        ok("rmi", repo + ":1");
        assertThat(docker("image", "inspect", repo + ":1").exit()).isEqualTo(1);
        assertThat(ok("load", "-i", file)).contains("Loaded image: " + repo + ":1");
        assertThat(ok("run", "--rm", repo + ":1", "echo", "loaded")).isEqualTo("loaded\n");
        assertThat(e.sh(Engine.DOCKER + " save " + repo + ":1 | " + Engine.DOCKER + " load").out()).contains("Loaded image");
        ok("rmi", repo + ":1");
    }

    @Test
    void importWithChanges() {
        String image = Engine.name("imp") + ":1";
        String id = ok("import", "--change", "CMD [\"echo\",\"imported\"]", "--change", "ENV GREETING=hi",
                "-m", "e2e import", e.busyboxRootfs.toString(), image).trim();
        assertThat(id).startsWith("sha256:");
        assertThat(ok("run", "--rm", image)).isEqualTo("imported\n");
        assertThat(ok("run", "--rm", image, "sh", "-c", "echo $GREETING")).isEqualTo("hi\n");
        assertThat(ok("image", "inspect", "--format", "{{.Comment}}", image)).isEqualTo("e2e import\n");
        ok("rmi", image);
    }

    @Test
    void tagAndRemoveSemantics() {
        String repo = Engine.name("tag");
        String busyboxId = ok("image", "inspect", "--format", "{{.Id}}", "busybox").trim();
        ok("tag", "busybox", repo + ":a");
        assertThat(ok("image", "inspect", "--format", "{{.Id}}", repo + ":a").trim()).isEqualTo(busyboxId);
        // Untag only: busybox:latest still references the image.
        assertThat(ok("rmi", repo + ":a")).isEqualTo("Untagged: " + repo + ":a\n");
        assertThat(ok("image", "inspect", "--format", "{{.Id}}", "busybox").trim()).isEqualTo(busyboxId);

        // An image used by a container: refused without -f, untagged with -f.
        String image = Engine.name("inuse") + ":1";
        ok("import", "--change", "CMD [\"sh\"]", e.busyboxRootfs.toString(), image);
        String c = Engine.name("user");
        ok("create", "--name", c, image, "true");
        Cmd.Result refused = docker("rmi", image);
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("conflict");
        Cmd.Result forced = docker("rmi", "-f", image);
        assertThat(forced.exit()).as(forced.describe()).isZero();
        assertThat(forced.out()).contains("Untagged: " + image);
        ok("rm", c);

        Cmd.Result missing = docker("rmi", "nosuchimage-e2e:1");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("No such image: nosuchimage-e2e:1");
    }

    @Test
    void imagesListAndFilters() {
        String repo = Engine.name("list");
        ok("tag", "busybox", repo + ":x");
        String table = ok("images");
        assertThat(table.lines().findFirst().orElseThrow()).startsWith("REPOSITORY").contains("TAG").contains("IMAGE ID")
                .contains("CREATED").endsWith("SIZE");
        assertThat(table).contains("busybox").contains(repo);
        assertThat(ok("images", "--filter", "reference=" + repo, "--format", "{{.Repository}}:{{.Tag}}")).isEqualTo(repo + ":x\n");
        assertThat(ok("images", repo, "-q")).matches("[0-9a-f]{12}\n");
        assertThat(ok("images", "--filter", "dangling=true", "-q")).doesNotContain(ok("images", repo, "-q").trim());
        ok("rmi", repo + ":x");
    }

    @Test
    void pullWithoutRegistryFailsCleanly() {
        Cmd.Result r = docker("pull", "localhost:1/nothing:1");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isNotEmpty();
    }
}
