package dev.berth.image.fs;

import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import dev.berth.image.TarExtractor;
import dev.berth.sys.fs.FileOps;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A container's file system as the container sees it, for {@code docker cp}: a root directory
 * (the mounted rootfs of a stopped container, or {@code /proc/<pid>/root} of a running one) plus
 * its mounts. Every path is resolved inside the root (symlinks as the container would follow
 * them, {@code ..} stopping at {@code /}, mounts crossed at their destinations) through directory
 * handles, so nothing outside the container is ever read or written, also when the container
 * swaps a symlink in during the copy. Writes use the image module's hardened tar reader.
 *
 * <p>Errors: NOT_FOUND "Could not find the file P in container C"; INVALID_ARGUMENT for a
 * destination that is not a directory and for archive members that would escape; CONFLICT
 * "container rootfs is marked read-only" / "mounted volume is marked read-only".
 * Stateless apart from its configuration; thread-safe.
 */
public final class ContainerFs {
    private final String container;
    private final Path root;
    private final boolean readOnlyRoot;
    private final Map<String, MountMapping> mounts = new LinkedHashMap<>();
    private final FileOps ops;

    /**
     * @param container    the name used in messages (as the user typed it)
     * @param root         the container's root directory on the host
     * @param readOnlyRoot the container has {@code --read-only}
     * @param mounts       its volumes, binds and tmpfs mounts
     */
    public ContainerFs(String container, Path root, boolean readOnlyRoot, List<MountMapping> mounts, FileOps ops) {
        this.container = container;
        this.root = root;
        this.readOnlyRoot = readOnlyRoot;
        for (MountMapping m : mounts) {
            this.mounts.put(m.destination(), m);
        }
        this.ops = ops;
    }

    private Resolver resolver() {
        return new Resolver(root, mounts);
    }

    /** Stats {@code path} without following a symlink in the last position (unless it ends in {@code /}). */
    public FileStat stat(String path) {
        try (Resolver.Target t = open(path)) {
            return statOf(t, path);
        } catch (IOException e) {
            throw ioError(path, e);
        }
    }

    /** Writes {@code path} as a tar to {@code out}, entries named after its base name; returns its stat. */
    public FileStat archive(String path, OutputStream out) {
        try (Resolver.Target t = open(path)) {
            FileStat st = statOf(t, path);
            new TreeTarWriter(resolver(), out).write(t, ContainerPaths.baseName(path));
            return st;
        } catch (IOException e) {
            throw ioError(path, e);
        }
    }

    /**
     * Stats {@code path} and, once {@code beforeBody} accepted the stat (e.g. sent the headers),
     * writes the tar; the target stays resolved (pinned) between the two.
     */
    public void archive(String path, java.util.function.Function<FileStat, OutputStream> beforeBody) {
        try (Resolver.Target t = open(path)) {
            FileStat st = statOf(t, path);
            OutputStream out = beforeBody.apply(st);
            new TreeTarWriter(resolver(), out).write(t, ContainerPaths.baseName(path));
        } catch (IOException e) {
            throw ioError(path, e);
        }
    }

    /**
     * Extracts {@code tar} (uncompressed) into the directory {@code path} (a symlink there is
     * followed). {@code chownUid}/{@code chownGid}, when not null, own every member; else members
     * keep the archive's ids.
     */
    public void extract(String path, InputStream tar, boolean noOverwriteDirNonDir, Integer chownUid, Integer chownGid) {
        Resolver resolver = resolver();
        try (Resolver.Target t = resolver.resolve(path, true, false)) {
            if (!t.exists) {
                throw notFound(path);
            }
            if (t.self == null) {
                throw BerthException.invalid("extraction point is not a directory");
            }
            checkWritable(t.containerPath());
            String base = t.containerPath();
            TarExtractor.Options opt = new TarExtractor.Options(false, true, noOverwriteDirNonDir, chownUid, chownGid);
            new TarExtractor(ops).extract(tar, root, opt, new Dirs(resolver, base));
        } catch (IOException e) {
            throw ioError(path, e);
        }
    }

    /** Member directories for the tar reader, resolved inside the container below the extraction point. */
    private final class Dirs implements TarExtractor.DirResolver {
        private final Resolver resolver;
        private final String base;

        Dirs(Resolver resolver, String base) {
            this.resolver = resolver;
            this.base = base;
        }

        @Override
        public TarExtractor.Dir resolve(List<String> comps, boolean create) throws IOException {
            String cp = base + "/" + String.join("/", comps);
            Resolver.Target d = resolver.resolve(cp, true, create);
            if (!d.exists || d.self == null) {
                d.close();
                throw new NoSuchFileException(cp);
            }
            if (create) {
                try {
                    checkWritable(d.containerPath()); // a symlink may have led into a read-only mount
                } catch (BerthException e) {
                    d.close();
                    throw e;
                }
            }
            return new TarExtractor.Dir() {
                @Override
                public Path path() {
                    return d.self.path();
                }

                @Override
                public void close() {
                    d.close();
                }
            };
        }

        @Override
        public void deleteTree(Path p) throws IOException {
            SecureDelete.deleteTree(p);
        }
    }

    /**
     * Reads a small file of the container (e.g. {@code /etc/passwd}) through the same resolution;
     * empty when absent. At most {@code limit} bytes.
     */
    public java.util.Optional<byte[]> readSmallFile(String path, int limit) {
        try (Resolver.Target t = resolver().resolve(path, true, false)) {
            if (!t.exists || t.self != null) {
                return java.util.Optional.empty();
            }
            try (InputStream in = Files.newInputStream(t.entry(), LinkOption.NOFOLLOW_LINKS)) {
                return java.util.Optional.of(in.readNBytes(limit));
            }
        } catch (IOException | BerthException e) {
            return java.util.Optional.empty();
        }
    }

    /** The mount that covers {@code containerPath} (longest destination prefix), or null for the root. */
    MountMapping coveringMount(String containerPath) {
        return mounts.values().stream()
                .filter(m -> m.destination().equals("/") || containerPath.equals(m.destination())
                        || containerPath.startsWith(m.destination() + "/"))
                .max(Comparator.comparingInt(m -> m.destination().length()))
                .orElse(null);
    }

    private void checkWritable(String containerPath) {
        MountMapping m = coveringMount(containerPath);
        if (m == null) {
            if (readOnlyRoot) {
                throw BerthException.invalid("container rootfs is marked read-only");
            }
        } else if (m.readOnly()) {
            throw BerthException.invalid("mounted volume is marked read-only");
        }
    }

    private Resolver.Target open(String path) throws IOException {
        Resolver.Target t = resolver().resolve(path, ContainerPaths.followsLast(path), false);
        if (!t.exists) {
            t.close();
            throw notFound(path);
        }
        return t;
    }

    private FileStat statOf(Resolver.Target t, String path) throws IOException {
        Map<String, Object> a = t.self != null
                ? Files.readAttributes(t.self.path(), "unix:mode,size,lastModifiedTime")
                : Files.readAttributes(t.entry(), "unix:mode,size,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
        long mode = FileStat.goMode((Integer) a.get("mode"));
        String linkTarget = "";
        if ((mode & FileStat.MODE_SYMLINK) != 0) {
            linkTarget = linkTarget(t);
        }
        return new FileStat(ContainerPaths.baseName(path), ((Number) a.get("size")).longValue(), mode,
                ((FileTime) a.get("lastModifiedTime")).toInstant(), linkTarget);
    }

    /** Where a symlink finally leads inside the container; lexical where the chain dangles (as Docker). */
    private String linkTarget(Resolver.Target t) throws IOException {
        try (Resolver.Target f = resolver().resolve(t.containerPath(), true, false)) {
            return f.containerPath();
        } catch (IOException dangling) {
            String target = Files.readSymbolicLink(t.entry()).toString();
            String parent = ContainerPaths.join(t.path.subList(0, t.path.size() - 1));
            return ContainerPaths.clean(target.startsWith("/") ? target : parent + "/" + target);
        }
    }

    private BerthException notFound(String path) {
        return new BerthException(ErrorKind.NOT_FOUND, "Could not find the file " + path + " in container " + container);
    }

    private BerthException ioError(String path, IOException e) {
        if (e instanceof NoSuchFileException) {
            return notFound(path);
        }
        String reason = e instanceof FileSystemException fse && fse.getReason() != null ? fse.getReason() : e.getMessage();
        if (reason != null && reason.contains("Read-only file system")) {
            return BerthException.invalid("container rootfs is marked read-only");
        }
        return new BerthException(ErrorKind.INVALID_ARGUMENT, "copy " + path + " in container " + container + ": " + reason, e);
    }
}
