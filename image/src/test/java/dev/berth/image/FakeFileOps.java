package dev.berth.image;

import dev.berth.sys.fs.FileOps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records device nodes and xattrs instead of making them (no root needed). */
final class FakeFileOps implements FileOps {
    final List<String> nodes = new CopyOnWriteArrayList<>();
    final Map<String, byte[]> xattrs = new ConcurrentHashMap<>();

    @Override
    public void mknod(Path path, int mode, int major, int minor) throws IOException {
        Files.createFile(path); // stands in for the node so later entries see something there
        nodes.add(path + " " + Integer.toOctalString(mode) + " " + major + ":" + minor);
    }

    @Override
    public void setXattr(Path path, String name, byte[] value) {
        xattrs.put(path + " " + name, value);
    }

    @Override
    public Optional<byte[]> getXattr(Path path, String name) {
        return Optional.ofNullable(xattrs.get(path + " " + name));
    }
}
