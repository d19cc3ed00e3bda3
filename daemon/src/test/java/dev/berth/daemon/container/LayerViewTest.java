package dev.berth.daemon.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.Mount;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerViewTest {
    @TempDir
    Path dir;

    @Test
    void knowsWhichEntriesComeFromTheWritableLayer() throws Exception {
        Path upper = Files.createDirectories(dir.resolve("upper"));
        Path lower1 = Files.createDirectories(dir.resolve("l1"));
        Path lower2 = Files.createDirectories(dir.resolve("l2"));
        Files.createDirectories(upper.resolve("etc"));
        Files.writeString(upper.resolve("etc/new"), "n");
        Files.createDirectories(lower1.resolve("etc"));
        Files.writeString(lower1.resolve("etc/passwd"), "p");
        Files.writeString(lower2.resolve("bin"), "b");
        LayerView v = LayerView.of(List.of(new Mount("overlay", "overlay", "/",
                List.of("lowerdir=" + lower1 + ":" + lower2, "upperdir=" + upper, "workdir=" + dir.resolve("work")))));
        var etc = v.list("etc");
        assertThat(etc.keySet()).containsExactly("new", "passwd");
        assertThat(v.inUpper(etc.get("new"))).isTrue();
        assertThat(v.inUpper(etc.get("passwd"))).isFalse();
        var root = v.list("");
        assertThat(v.inUpper(root.get("etc"))).isTrue(); // the copied-up directory is the upper one
        assertThat(v.inUpper(root.get("bin"))).isFalse();
        // a view without a writable layer (plain layer list) has none
        assertThat(new LayerView(List.of(upper)).inUpper(upper.resolve("etc"))).isFalse();
    }
}
