package dev.berth.network;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.BiConsumer;

/**
 * Delivers a changed resolv.conf of a running container (after {@code network connect} started
 * the embedded DNS for it). The daemon owns the container files; it can register a listener.
 * Without one, the file the daemon bind-mounts ({@code <data-root>/containers/<id>/resolv.conf})
 * is rewritten in place — truncate and write, not rename, because a bind mount pins the inode —
 * and only if it exists. Thread-safe.
 */
final class SandboxFiles {
    private static final System.Logger LOG = System.getLogger(SandboxFiles.class.getName());
    private final Path containersDir;
    private volatile BiConsumer<String, String> listener;

    SandboxFiles(Path dataRoot) {
        this.containersDir = dataRoot.resolve("containers");
    }

    void listener(BiConsumer<String, String> l) {
        this.listener = l;
    }

    void resolvConfChanged(String containerId, String content) {
        BiConsumer<String, String> l = listener;
        if (l != null) {
            l.accept(containerId, content);
            return;
        }
        Path f = containersDir.resolve(containerId).resolve("resolv.conf");
        if (!Files.isRegularFile(f)) {
            return;
        }
        try {
            Files.writeString(f, content, StandardCharsets.UTF_8, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot update " + f + ": " + e.getMessage());
        }
    }
}
