package dev.berth.network;

import dev.berth.common.BerthException;
import dev.berth.common.Json;
import dev.berth.network.NetworkRecords.IpamState;
import dev.berth.network.NetworkRecords.NetworkRecord;
import dev.berth.network.NetworkRecords.SandboxRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Owns the on-disk layout of {@code <data-root>/network}:
 * <pre>
 *   networks/&lt;id&gt;.json        one {@link NetworkRecord} per network
 *   ipam/&lt;network-id&gt;.json    {@link IpamState} (IPv4)
 *   ipam/&lt;network-id&gt;-v6.json {@link IpamState} (IPv6)
 *   sandboxes/&lt;container&gt;.json {@link SandboxRecord}
 * </pre>
 * Every write is temp file + fsync + atomic rename (+ directory fsync), so a crash leaves either
 * the old or the new file. Writes are not thread-safe (the service serialises them); reads of a
 * sandbox may come from any thread (they are served from a cache of the records written).
 */
final class NetworkStore {
    private final Path networks;
    private final Path ipam;
    private final Path sandboxes;
    /** Cached {@link #networks()}; null = read the files again. Volatile: readers may run on helper threads. */
    private volatile List<NetworkRecord> networkCache;
    /** Sandboxes read or written (records are immutable): inspect asks for one on every call. */
    private final java.util.concurrent.ConcurrentHashMap<String, SandboxRecord> sandboxCache = new java.util.concurrent.ConcurrentHashMap<>();

    NetworkStore(Path root) {
        this.networks = root.resolve("networks");
        this.ipam = root.resolve("ipam");
        this.sandboxes = root.resolve("sandboxes");
        try {
            for (Path d : List.of(networks, ipam, sandboxes)) {
                Files.createDirectories(d);
            }
        } catch (IOException e) {
            throw BerthException.internal("cannot create network state directory under " + root, e);
        }
    }

    /**
     * The networks, from memory after the first read: this store is the only writer of the files
     * (one daemon per data root), and every lookup on the sandbox hot path needs them. Immutable.
     */
    List<NetworkRecord> networks() {
        List<NetworkRecord> c = networkCache;
        if (c == null) {
            c = List.copyOf(readAll(networks, NetworkRecord.class));
            networkCache = c;
        }
        return c;
    }

    void putNetwork(NetworkRecord n) {
        networkCache = null;
        write(networks.resolve(n.id() + ".json"), n);
        networkCache = null;
    }

    void deleteNetwork(String id) {
        networkCache = null;
        delete(networks.resolve(id + ".json"));
        delete(ipam.resolve(id + ".json"));
        delete(ipam.resolve(id + Ipam6.SUFFIX + ".json"));
    }

    Optional<IpamState> ipam(String networkId) {
        return read(ipam.resolve(networkId + ".json"), IpamState.class);
    }

    void putIpam(String networkId, IpamState s) {
        write(ipam.resolve(networkId + ".json"), s);
    }

    List<SandboxRecord> sandboxes() {
        return readAll(sandboxes, SandboxRecord.class);
    }

    Optional<SandboxRecord> sandbox(String containerId) {
        SandboxRecord known = sandboxCache.get(containerId);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<SandboxRecord> read = read(sandboxes.resolve(containerId + ".json"), SandboxRecord.class);
        read.ifPresent(r -> sandboxCache.putIfAbsent(containerId, r));
        return read;
    }

    void putSandbox(SandboxRecord s) {
        sandboxCache.remove(s.containerId());
        write(sandboxes.resolve(s.containerId() + ".json"), s);
        sandboxCache.put(s.containerId(), s);
    }

    void deleteSandbox(String containerId) {
        sandboxCache.remove(containerId);
        delete(sandboxes.resolve(containerId + ".json"));
        sandboxCache.remove(containerId);
    }

    private static <T> List<T> readAll(Path dir, Class<T> type) {
        List<T> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
                read(p, type).ifPresent(out::add);
            }
        } catch (IOException e) {
            throw BerthException.internal("cannot list " + dir, e);
        }
        return out;
    }

    private static <T> Optional<T> read(Path p, Class<T> type) {
        if (!Files.exists(p)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.mapper().readValue(Files.readAllBytes(p), type));
        } catch (IOException | RuntimeException e) {
            throw BerthException.internal("cannot read network state file " + p, e);
        }
    }

    private static void write(Path p, Object value) {
        Path tmp = p.resolveSibling("." + p.getFileName() + ".tmp");
        try {
            byte[] bytes = Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(value);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING);
            }
            fsyncDir(p.getParent());
        } catch (IOException | RuntimeException e) {
            throw BerthException.internal("cannot write network state file " + p, e);
        }
    }

    private static void delete(Path p) {
        try {
            if (Files.deleteIfExists(p)) {
                fsyncDir(p.getParent());
            }
        } catch (IOException e) {
            throw BerthException.internal("cannot delete network state file " + p, e);
        }
    }

    private static void fsyncDir(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some filesystems refuse fsync on directories; the rename itself is still atomic.
        }
    }
}
