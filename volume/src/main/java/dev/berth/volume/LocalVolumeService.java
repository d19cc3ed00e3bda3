package dev.berth.volume;

import dev.berth.common.DirectorySize;

import dev.berth.common.BerthException;
import dev.berth.common.Ids;
import dev.berth.common.Json;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The {@code local} volume driver. Owns {@code <data-root>/volumes}: one directory per volume with
 * the data in {@code _data} and the metadata in {@code meta.json} (written temp + fsync + rename,
 * so a crash leaves either the old or the new file). A volume directory without metadata (e.g.
 * created by an older daemon) is still listed, with its directory's time as creation time.
 * Volumes with driver options {@code type/device/o} are mounted by the {@link VolumeMounter} at
 * first {@link #acquire} and unmounted at last {@link #release}; mount reference counts live in
 * memory (after a daemon restart, a still-mounted device is detected and adopted on acquire).
 * Thread-safe: all mutations run under one lock; volume operations are rare and quick, except
 * {@link #seed} and {@link #size}, which run outside the lock.
 */
public final class LocalVolumeService implements VolumeService {
    /** Docker's label on volumes created for a container's anonymous VOLUME. */
    public static final String ANONYMOUS_LABEL = "com.docker.volume.anonymous";
    private static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9_.-]+$");
    private static final Set<String> OPTION_KEYS = Set.of("type", "device", "o");
    private static final String META = "meta.json";

    private final Path root;
    private final VolumeMounter mounter;
    private final Object lock = new Object();
    private final Map<String, Integer> mountRefs = new HashMap<>();

    /** A service whose option-backed volumes cannot be mounted (NOT_IMPLEMENTED on acquire). */
    public LocalVolumeService(Path dataRoot) {
        this(dataRoot, VolumeMounter.UNSUPPORTED);
    }

    public LocalVolumeService(Path dataRoot, VolumeMounter mounter) {
        this.root = dataRoot.resolve("volumes");
        this.mounter = mounter;
        try {
            Files.createDirectories(root);
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(root, ".trash-*")) {
                ds.forEach(LocalVolumeService::deleteQuietly);
            }
        } catch (IOException e) {
            throw BerthException.internal("cannot create volume directory " + root + ": " + e.getMessage(), e);
        }
    }

    /** The stored form of a volume's metadata. */
    record Meta(String name, String driver, String createdAt, Map<String, String> labels, Map<String, String> options) {}

    @Override
    public VolumeInfo create(String name, String driver, Map<String, String> driverOpts, Map<String, String> labels) {
        boolean anonymous = name == null || name.isEmpty();
        String volName = anonymous ? Ids.newId() : name;
        String drv = driver == null || driver.isEmpty() ? "local" : driver;
        if (!drv.equals("local")) {
            throw BerthException.notFound("create %s: error looking up volume plugin %s: plugin \"%s\" not found", volName, drv, drv);
        }
        validateName(volName);
        Map<String, String> opts = driverOpts == null ? Map.of() : new TreeMap<>(driverOpts);
        validateOptions(volName, opts);
        Map<String, String> lbls = new TreeMap<>(labels == null ? Map.of() : labels);
        if (anonymous) {
            lbls.put(ANONYMOUS_LABEL, "");
        }
        synchronized (lock) {
            Optional<VolumeInfo> existing = find(volName);
            if (existing.isPresent()) {
                return existing.get();
            }
            Path dir = root.resolve(volName);
            try {
                Files.createDirectories(dir.resolve("_data"));
                String created = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
                writeMeta(dir, new Meta(volName, drv, created, lbls, opts));
            } catch (IOException e) {
                deleteQuietly(dir);
                throw BerthException.internal("create " + volName + ": " + e.getMessage(), e);
            }
            return find(volName).orElseThrow();
        }
    }

    @Override
    public Optional<VolumeInfo> find(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        Path dir = root.resolve(name);
        if (!Files.isDirectory(dir.resolve("_data"))) {
            return Optional.empty();
        }
        return Optional.of(info(dir, readMeta(dir)));
    }

    @Override
    public VolumeInfo get(String name) {
        return find(name).orElseThrow(() -> BerthException.notFound("get %s: no such volume", name));
    }

    @Override
    public List<VolumeInfo> list() {
        List<VolumeInfo> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
            for (Path p : ds) {
                find(p.getFileName().toString()).ifPresent(out::add);
            }
        } catch (IOException e) {
            throw BerthException.internal("list volumes: " + e.getMessage(), e);
        }
        out.sort(Comparator.comparing(VolumeInfo::name));
        return out;
    }

    @Override
    public void remove(String name) {
        synchronized (lock) {
            VolumeInfo v = get(name);
            Path dir = root.resolve(v.name());
            if (isDeviceVolume(v.options())) {
                mounter.unmount(dir.resolve("_data"));
                mountRefs.remove(v.name());
            }
            // Rename first so that a crash mid-delete never leaves a half-deleted volume visible.
            Path trash = root.resolve(".trash-" + Ids.newId());
            try {
                Files.move(dir, trash, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw BerthException.internal("remove " + name + ": " + e.getMessage(), e);
            }
            deleteQuietly(trash);
        }
    }

    @Override
    public void seed(String name, Path source) {
        VolumeInfo v = get(name);
        Path data = v.mountpoint();
        try {
            if (!Files.isDirectory(source, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(data)) {
                if (ds.iterator().hasNext()) {
                    return;
                }
            }
            TreeCopier.copyContents(source, data);
        } catch (IOException e) {
            throw BerthException.internal("copy image data into volume " + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public long size(String name) {
        Optional<VolumeInfo> v = find(name);
        if (v.isEmpty()) {
            return -1;
        }
        try {
            return DirectorySize.of(v.get().mountpoint());
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public Path acquire(String name) {
        synchronized (lock) {
            VolumeInfo v = get(name);
            if (isDeviceVolume(v.options())) {
                int refs = mountRefs.getOrDefault(v.name(), 0);
                if (refs == 0) {
                    Map<String, String> o = v.options();
                    mounter.mount(o.getOrDefault("device", ""), o.getOrDefault("type", ""), o.getOrDefault("o", ""), v.mountpoint());
                }
                mountRefs.put(v.name(), refs + 1);
            }
            return v.mountpoint();
        }
    }

    @Override
    public void release(String name) {
        synchronized (lock) {
            Integer refs = mountRefs.get(name);
            if (refs == null) {
                return;
            }
            if (refs <= 1) {
                mountRefs.remove(name);
                find(name).ifPresent(v -> mounter.unmount(v.mountpoint()));
            } else {
                mountRefs.put(name, refs - 1);
            }
        }
    }

    // ---- helpers ----

    static void validateName(String name) {
        if (name.length() == 1) {
            throw BerthException.invalid("create %s: volume name is too short, names should be at least two alphanumeric characters", name);
        }
        if (!NAME.matcher(name).matches()) {
            throw BerthException.invalid("create %s: \"%s\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. "
                    + "If you intended to pass a host directory, use absolute path", name, name);
        }
    }

    private static void validateOptions(String name, Map<String, String> opts) {
        for (String k : opts.keySet()) {
            if (k.equals("size")) {
                throw BerthException.invalid("create %s: quota size requested but no quota support", name);
            }
            if (!OPTION_KEYS.contains(k)) {
                throw BerthException.invalid("create %s: invalid option key: \"%s\"", name, k);
            }
        }
        if (!opts.isEmpty() && opts.getOrDefault("type", "").isEmpty() && !opts.getOrDefault("device", "").isEmpty()) {
            throw BerthException.invalid("create %s: missing required option: \"type\"", name);
        }
        if (!opts.isEmpty() && !opts.getOrDefault("type", "").isEmpty() && opts.getOrDefault("device", "").isEmpty()) {
            throw BerthException.invalid("create %s: missing required option: \"device\"", name);
        }
    }

    private static boolean isDeviceVolume(Map<String, String> opts) {
        return !opts.getOrDefault("type", "").isEmpty() || !opts.getOrDefault("device", "").isEmpty();
    }

    private VolumeInfo info(Path dir, Meta m) {
        Map<String, String> labels = m.labels() == null ? Map.of() : m.labels();
        return new VolumeInfo(m.name(), m.driver(), dir.resolve("_data"), m.createdAt(),
                labels, m.options() == null ? Map.of() : m.options(), labels.containsKey(ANONYMOUS_LABEL));
    }

    private Meta readMeta(Path dir) {
        String name = dir.getFileName().toString();
        try {
            return Json.mapper().readValue(Files.readAllBytes(dir.resolve(META)), Meta.class);
        } catch (NoSuchFileException e) {
            return legacyMeta(dir, name);
        } catch (IOException | RuntimeException e) {
            // A torn or foreign metadata file must not hide the data: fall back to what the directory says.
            return legacyMeta(dir, name);
        }
    }

    private static Meta legacyMeta(Path dir, String name) {
        String created;
        try {
            created = OffsetDateTime.ofInstant(Files.getLastModifiedTime(dir).toInstant(), ZoneOffset.UTC)
                    .truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (IOException e) {
            created = "";
        }
        return new Meta(name, "local", created, Map.of(), Map.of());
    }

    private static void writeMeta(Path dir, Meta meta) throws IOException {
        Path tmp = dir.resolve(META + ".tmp");
        byte[] bytes = Json.mapper().writeValueAsBytes(new LinkedHashMap<>(Map.of(
                "name", meta.name(), "driver", meta.driver(), "createdAt", meta.createdAt(),
                "labels", meta.labels(), "options", meta.options())));
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(bytes));
            ch.force(true);
        }
        Files.move(tmp, dir.resolve(META), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void deleteQuietly(Path dir) {
        try {
            if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // Leftovers are named ".trash-*" (never a valid volume name) and are harmless.
        }
    }
}
