package dev.berth.daemon.container;

import dev.berth.common.BerthException;
import dev.berth.daemon.events.EventPublisher;
import dev.berth.image.ImageRuntimeConfig;
import dev.berth.image.ImageService;
import dev.berth.image.LocalImage;
import dev.berth.network.NetworkService;
import dev.berth.oci.Mount;
import dev.berth.runtime.RuntimeContainerSpec;
import dev.berth.runtime.RuntimeDriver;
import dev.berth.volume.VolumeService;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** In-memory fakes of the services the container engine uses. */
final class Fakes {
    private Fakes() {}

    static final class Images implements ImageService {
        final Map<String, LocalImage> byName = new ConcurrentHashMap<>();
        final Map<String, String> layers = new ConcurrentHashMap<>();
        final Path root;

        Images(Path root) {
            this.root = root;
        }

        void add(String name, ImageRuntimeConfig cfg) {
            String id = "sha256:" + "a".repeat(63) + Integer.toHexString(byName.size() % 16);
            LocalImage img = new LocalImage(id, List.of(name), List.of(), "", "2024-01-01T00:00:00Z", "", "", "amd64", "", "linux",
                    cfg, List.of(), 1000, Map.of());
            byName.put(name, img);
            byName.put(name.contains(":") ? name.substring(0, name.indexOf(':')) : name + ":latest", img);
            byName.put(id, img);
        }

        @Override public Optional<LocalImage> find(String n) { return Optional.ofNullable(byName.get(n)); }
        @Override public LocalImage get(String n) { return find(n).orElseThrow(() -> BerthException.notFound("No such image: %s", n)); }
        @Override public List<LocalImage> list() { return List.copyOf(byName.values()); }
        @Override public void tag(String n, String r) { }
        @Override public List<DeleteItem> remove(String n, boolean f, boolean np, Predicate<String> inUse) { return List.of(); }
        @Override public LocalImage importRootfs(InputStream t, String r, List<String> c, String m, String p) { throw new UnsupportedOperationException(); }
        @Override public List<String> load(InputStream a, Consumer<String> p) { return List.of(); }
        @Override public void save(List<String> n, OutputStream o) { }
        @Override public List<HistoryEntry> history(String n) { return List.of(); }

        @Override
        public List<Mount> prepareContainerLayer(String containerId, String imageId) {
            layers.put(containerId, imageId);
            return containerLayerMounts(containerId);
        }

        @Override
        public List<Mount> containerLayerMounts(String containerId) {
            Path upper = root.resolve(containerId).resolve("upper");
            Path lower = root.resolve("lower");
            try {
                Files.createDirectories(upper);
                Files.createDirectories(lower);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return List.of(new Mount("overlay", "overlay", null, List.of("lowerdir=" + lower, "upperdir=" + upper, "workdir=" + root.resolve("work"))));
        }

        @Override public void removeContainerLayer(String containerId) { layers.remove(containerId); }
        @Override public Path containerLayerUpperDir(String containerId) { return root.resolve(containerId).resolve("upper"); }
        @Override public long containerLayerSize(String containerId) { return 42; }
    }

    static final class Runtime implements RuntimeDriver {
        final Map<String, CompletableFuture<ExitStatus>> exits = new ConcurrentHashMap<>();
        final Map<String, RuntimeContainerSpec> specs = new ConcurrentHashMap<>();
        final List<String> calls = new CopyOnWriteArrayList<>();
        final List<LogEntry> log = new CopyOnWriteArrayList<>();
        final Map<Path, Integer> spoolCursors = new ConcurrentHashMap<>();
        volatile RuntimeException failCreate;
        volatile boolean ignoreTerm;
        int nextPid = 1000;

        @Override public String name() { return "crun"; }

        @Override
        public synchronized Created create(CreateRequest request) {
            if (failCreate != null) {
                throw failCreate;
            }
            calls.add("create " + request.spec().id());
            specs.put(request.spec().id(), request.spec());
            exits.put(request.spec().id(), new CompletableFuture<>());
            return new Created(nextPid++);
        }

        @Override public void start(String id) { calls.add("start " + id); }

        @Override
        public void kill(String id, int signal, boolean all) {
            calls.add("kill " + id + " " + signal);
            if (signal == 15 && ignoreTerm) {
                return;
            }
            if (signal == 9 || signal == 15) {
                exit(id, 128 + signal);
            }
        }

        void exit(String id, int code) {
            var f = exits.get(id);
            if (f != null) {
                f.complete(new ExitStatus(code, 0, false));
            }
        }

        @Override public void pause(String id) { calls.add("pause " + id); }
        @Override public void resume(String id) { calls.add("resume " + id); }
        @Override public void delete(String id) { calls.add("delete " + id); }

        @Override
        public CompletableFuture<ExitStatus> awaitExit(String id) {
            return exits.computeIfAbsent(id, k -> new CompletableFuture<>());
        }

        @Override
        public AttachConnection attach(String id) {
            calls.add("attach " + id);
            CompletableFuture<ExitStatus> exit = awaitExit(id);
            return new AttachConnection() {
                final ByteArrayOutputStream in = new ByteArrayOutputStream();
                @Override public OutputStream stdin() { return in; }
                @Override public void pump(OutputHandler h) throws java.io.IOException {
                    byte[] hello = "hello\n".getBytes();
                    h.output(false, hello, 0, hello.length);
                    exit.join();
                }
                @Override public void close() { }
            };
        }

        @Override public void resize(String id, int h, int w) { calls.add("resize " + id + " " + h + "x" + w); }

        @Override
        public ExecProcess exec(String id, ExecSpec spec) {
            calls.add("exec " + id + " " + String.join(" ", spec.args()));
            int code = spec.args().contains("false") ? 1 : 0;
            return new ExecProcess() {
                @Override public int pid() { return 4242; }
                @Override public OutputStream stdin() { return OutputStream.nullOutputStream(); }
                @Override public void pump(OutputHandler h) throws java.io.IOException {
                    byte[] b = ("ran " + String.join(" ", spec.args()) + "\n").getBytes();
                    h.output(false, b, 0, b.length);
                }
                @Override public void resize(int h, int w) { }
                @Override public int waitFor() { return code; }
                @Override public void close() { }
            };
        }

        @Override public List<Integer> pids(String id) { return List.of(); }
        @Override public Map<String, Object> stats(String id) { return Map.of("cpu_stats", Map.of("system_cpu_usage", 1)); }
        @Override public List<RestoredContainer> restore() { return List.of(); }
        @Override public void update(String id, RuntimeContainerSpec.Resources r) { calls.add("update " + id); }

        /** Delivers the entries added to {@link #log} since the previous drain, like a shim's spool. */
        @Override
        public OutputSpool openOutputSpool(Path spool) {
            return new OutputSpool() {
                @Override
                public boolean drain(LogConsumer consumer) throws java.io.IOException {
                    boolean progressed = false;
                    // reopening continues where the last reader stopped, as a fresh spool of a new run would
                    for (int i = spoolCursors.getOrDefault(spool, 0); i < log.size(); i = spoolCursors.merge(spool, 1, Integer::sum)) {
                        consumer.accept(log.get(i));
                        progressed = true;
                    }
                    return progressed;
                }

                @Override
                public void close() { }
            };
        }
    }

    static final class Network implements NetworkService {
        final Map<String, Sandbox> sandboxes = new ConcurrentHashMap<>();
        final Map<String, SandboxRequest> requests = new ConcurrentHashMap<>();
        volatile RuntimeException fail;

        @Override public void start() { }

        @Override
        public Sandbox createSandbox(SandboxRequest r) {
            if (fail != null) {
                throw fail;
            }
            requests.put(r.containerId(), r);
            Endpoint ep = new Endpoint("netid", "bridge", "epid", "172.30.0.2", 16, "172.30.0.1", null, 0, null, "02:42:ac:1e:00:02", List.of(), List.of());
            Sandbox s = new Sandbox(r.containerId(), "sb-" + r.containerId(), "/run/netns/x", Map.of("bridge", ep),
                    r.ports(), "127.0.0.1\tlocalhost\n", "nameserver 1.1.1.1\n", r.hostname() + "\n");
            sandboxes.put(r.containerId(), s);
            return s;
        }

        @Override public void removeSandbox(String id) { sandboxes.remove(id); }
        @Override public Optional<Sandbox> sandbox(String id) { return Optional.ofNullable(sandboxes.get(id)); }
        @Override public List<NetworkInfo> networks() { return List.of(); }

        @Override
        public NetworkInfo network(String n) {
            if (!List.of("bridge", "host", "none", "mynet").contains(n)) {
                throw BerthException.notFound("network %s not found", n);
            }
            return new NetworkInfo("netid-" + n, n, "bridge", "local", "", false, false, false, List.of(), Map.of(), Map.of(), Map.of());
        }

        @Override public NetworkInfo createNetwork(NetworkSpec spec) { throw new UnsupportedOperationException(); }
        @Override public void removeNetwork(String n) { }
        @Override public Endpoint connect(String c, String n, EndpointRequest r) { throw new UnsupportedOperationException(); }
        @Override public void disconnect(String c, String n, boolean f) { }
    }

    static final class Volumes implements VolumeService {
        final Map<String, VolumeInfo> vols = new ConcurrentHashMap<>();
        final Path root;
        final List<String> seeded = new CopyOnWriteArrayList<>();
        int counter;

        Volumes(Path root) {
            this.root = root;
        }

        @Override
        public synchronized VolumeInfo create(String name, String driver, Map<String, String> o, Map<String, String> labels) {
            String n = name == null ? String.format("%064x", ++counter) : name;
            return vols.computeIfAbsent(n, k -> new VolumeInfo(k, "local", root.resolve(k).resolve("_data"), "", labels, o, name == null));
        }

        @Override public Optional<VolumeInfo> find(String n) { return Optional.ofNullable(vols.get(n)); }
        @Override public VolumeInfo get(String n) { return find(n).orElseThrow(() -> BerthException.notFound("get %s: no such volume", n)); }
        @Override public List<VolumeInfo> list() { return new ArrayList<>(vols.values()); }
        @Override public void remove(String n) { vols.remove(n); }
        @Override public void seed(String n, Path source) { seeded.add(n + "<-" + source); }
        @Override public long size(String n) { return 0; }
        @Override public Path acquire(String n) { return get(n).mountpoint(); }
        @Override public void release(String n) { }
    }

    static final class Events implements EventPublisher {
        final List<String> actions = new CopyOnWriteArrayList<>();
        final List<Map<String, String>> attrs = new CopyOnWriteArrayList<>();

        @Override
        public void publish(String type, String action, String actorId, Map<String, String> attributes) {
            actions.add(action);
            attrs.add(attributes);
        }
    }
}
