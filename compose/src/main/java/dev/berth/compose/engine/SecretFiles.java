package dev.berth.compose.engine;

import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import dev.berth.compose.loader.Project;
import dev.berth.compose.loader.Values;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Secrets and configs as read-only bind mounts: {@code file:} sources are mounted as they are;
 * {@code content:} and {@code environment:} sources are written (atomically, mode 0444 for
 * configs, 0400→0444 since containers may run as another uid) under {@code stateDir/<project>/}
 * first. Secrets land at {@code /run/secrets/<name>}, configs at {@code /<name>} unless a target
 * is given. Thread-safe (file writes are atomic renames).
 */
public final class SecretFiles {
    private final Path stateDir;

    public SecretFiles(Path stateDir) {
        this.stateDir = stateDir;
    }

    List<Object> mounts(Project p, String service, Map<String, Object> s) {
        List<Object> out = new ArrayList<>();
        for (String kind : List.of("secrets", "configs")) {
            Map<String, Object> defs = kind.equals("secrets") ? p.secrets() : p.configs();
            for (Object o : Values.list(s, kind)) {
                Map<?, ?> ref = (Map<?, ?>) o;
                String source = Values.str(ref.get("source"));
                Map<String, Object> def = Values.map(defs, source);
                String target = Values.str(ref.get("target"));
                if (target == null) {
                    target = kind.equals("secrets") ? "/run/secrets/" + source : "/" + source;
                } else if (kind.equals("secrets") && !target.startsWith("/")) {
                    target = "/run/secrets/" + target;
                }
                Path file;
                if (def.get("file") != null) {
                    file = Path.of(Values.str(def.get("file")));
                } else if (def.get("content") != null) {
                    file = write(p.name(), kind, source, Values.str(def.get("content")));
                } else if (def.get("environment") != null) {
                    String v = p.environment().get(Values.str(def.get("environment")));
                    file = write(p.name(), kind, source, v == null ? "" : v);
                } else if (Values.bool(def.get("external"))) {
                    throw new BerthException(ErrorKind.NOT_IMPLEMENTED, "external " + kind + " need swarm mode; not supported by berth compose");
                } else {
                    throw new BerthException(ErrorKind.INVALID_ARGUMENT, kind + " " + source + " has no file, content or environment source");
                }
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("Type", "bind");
                m.put("Source", file.toString());
                m.put("Target", target);
                m.put("ReadOnly", true);
                out.add(m);
            }
        }
        return out;
    }

    private Path write(String project, String kind, String name, String content) {
        try {
            Path dir = stateDir.resolve(project).resolve(kind);
            Files.createDirectories(dir);
            Path target = dir.resolve(name);
            Path tmp = Files.createTempFile(dir, ".tmp-", "");
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("r--r--r--"));
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new BerthException(ErrorKind.INTERNAL, "cannot write " + kind + " " + name + ": " + e.getMessage(), e);
        }
    }

    static void ensureDir(Path p) {
        if (!Files.exists(p)) {
            try {
                Files.createDirectories(p);
            } catch (IOException e) {
                throw new BerthException(ErrorKind.INVALID_ARGUMENT, "cannot create bind source " + p + ": " + e.getMessage(), e);
            }
        }
    }
}
