package dev.berth.builder.context;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import dev.berth.oci.tar.GuardedTarInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.CompressorException;
import org.apache.commons.compress.compressors.CompressorStreamFactory;

/**
 * The build context the docker CLI sends with {@code POST /build}: a tar stream, possibly gzip,
 * bzip2 or xz compressed (detected from the content). File bodies are spooled into a private
 * scratch directory (deleted by {@link #close()}); metadata is taken from the tar headers, so
 * modes and owners are exactly what the client sent. Hard links read their target's content.
 */
public final class TarBuildContext extends MapBuildContext {
    private final Path scratch;

    private TarBuildContext(Map<String, ContextEntry> entries, Map<String, Path> blobs, Path scratch) {
        super(entries, e -> {
            try {
                return Files.newInputStream(blobs.get(e.path()));
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        });
        this.scratch = scratch;
    }

    /** Reads the whole stream; {@code scratchDir} must be an empty private directory. */
    public static TarBuildContext read(InputStream in, Path scratchDir) throws IOException {
        Files.createDirectories(scratchDir);
        InputStream buffered = new BufferedInputStream(in, 64 * 1024);
        InputStream raw = decompress(buffered);
        Map<String, ContextEntry> entries = new TreeMap<>();
        Map<String, Path> blobs = new HashMap<>();
        int n = 0;
        try (TarArchiveInputStream tar = new GuardedTarInputStream(raw)) {
            TarArchiveEntry te;
            while ((te = tar.getNextEntry()) != null) {
                String path = GoPath.contextPath(te.getName());
                if (path.isEmpty()) {
                    continue;
                }
                long mtime = te.getModTime().getTime();
                int mode = te.getMode() & 07777;
                int uid = (int) te.getLongUserId();
                int gid = (int) te.getLongGroupId();
                if (te.isDirectory()) {
                    entries.put(path, new ContextEntry(path, ContextEntry.Type.DIRECTORY, 0, mode, uid, gid, null, mtime));
                } else if (te.isSymbolicLink()) {
                    entries.put(path, new ContextEntry(path, ContextEntry.Type.SYMLINK, 0, mode, uid, gid,
                            te.getLinkName(), mtime));
                } else if (te.isLink()) {
                    String target = GoPath.contextPath(te.getLinkName());
                    Path blob = blobs.get(target);
                    if (blob == null) {
                        continue;
                    }
                    blobs.put(path, blob);
                    entries.put(path, new ContextEntry(path, ContextEntry.Type.FILE, Files.size(blob), mode, uid, gid,
                            null, mtime));
                } else if (te.isFile()) {
                    Path blob = scratchDir.resolve("f" + (n++));
                    Files.copy(tar, blob, StandardCopyOption.REPLACE_EXISTING);
                    blobs.put(path, blob);
                    entries.put(path, new ContextEntry(path, ContextEntry.Type.FILE, Files.size(blob), mode, uid, gid,
                            null, mtime));
                }
                // devices and fifos in a build context are ignored, as COPY cannot use them
            }
        }
        return new TarBuildContext(entries, blobs, scratchDir);
    }

    private static InputStream decompress(InputStream in) throws IOException {
        try {
            String kind = CompressorStreamFactory.detect(in);
            return new CompressorStreamFactory().createCompressorInputStream(kind, in);
        } catch (CompressorException e) {
            return in; // not compressed: a plain tar
        }
    }

    @Override
    public InputStream open(String path) throws IOException {
        try {
            return super.open(path);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @Override
    public void close() {
        try (Stream<Path> walk = Files.walk(scratch)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: the scratch directory is private to this build
        }
    }
}
