package dev.berth.server;

import dev.berth.api.backend.ContainerBackend;
import dev.berth.api.backend.ExecBackend;
import dev.berth.api.backend.HijackedStreams;
import dev.berth.api.backend.ImageBackend;
import dev.berth.api.backend.MessageSink;
import dev.berth.api.backend.NetworkBackend;
import dev.berth.api.backend.OutputSink;
import dev.berth.api.backend.StdStream;
import dev.berth.api.backend.SystemBackend;
import dev.berth.api.backend.VolumeBackend;
import dev.berth.api.model.*;
import dev.berth.common.BerthException;
import dev.berth.common.Filters;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * In-memory backends for router tests and the test daemon. Containers "tty" and "plain" exist
 * (running), anything else is NOT_FOUND. Recorded calls let tests assert what the routers passed.
 */
final class FakeBackends {
    static final String ID = "c0ffee" + "0".repeat(58);
    final List<String> calls = new CopyOnWriteArrayList<>();
    final Map<String, CompletableFuture<ContainerWaitResponse>> waits = new ConcurrentHashMap<>();
    volatile ContainerCreateRequest lastCreate;
    final java.util.concurrent.CountDownLatch eventsEnded = new java.util.concurrent.CountDownLatch(1);

    Backends backends() {
        return new Backends(new Containers(), new Execs(), new Images(), new SystemImpl(), new Volumes(), new Networks());
    }

    static BerthException noSuchContainer(String name) {
        return BerthException.notFound("No such container: %s", name);
    }

    static boolean known(String name) {
        return name.equals("tty") || name.equals("plain") || name.equals(ID);
    }

    static void write(OutputSink sink, StdStream s, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        try {
            sink.write(s, b, 0, b.length);
            sink.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    final class Containers implements ContainerBackend {
        @Override
        public IdResponse create(ContainerCreateRequest request) {
            if (request.config().image() == null || request.config().image().equals("missing")) {
                throw BerthException.notFound("No such image: %s", request.config().image());
            }
            lastCreate = request;
            return new IdResponse(ID, null);
        }

        @Override
        public ContainerInspect inspect(String nameOrId, boolean withSize) {
            if (!known(nameOrId)) {
                throw noSuchContainer(nameOrId);
            }
            ContainerConfig cfg = Records.of(ContainerConfig.class, Map.of("tty", nameOrId.equals("tty"), "image", "busybox"));
            ContainerState state = Records.of(ContainerState.class, Map.of("status", "running", "running", true));
            return Records.of(ContainerInspect.class, Map.of("id", ID, "name", "/" + nameOrId, "config", cfg, "state", state));
        }

        @Override
        public List<ContainerSummary> list(boolean all, int limit, boolean withSize, Filters filters) {
            calls.add("list all=" + all + " limit=" + limit + " size=" + withSize + " filters=" + filters.values());
            return List.of(Records.of(ContainerSummary.class, Map.of("id", ID, "names", List.of("/plain"), "image", "busybox",
                    "command", "sh", "state", "running", "status", "Up 1 second", "created", 1700000000L)));
        }

        @Override
        public void start(String nameOrId, String detachKeys) {
            if (!known(nameOrId)) {
                throw noSuchContainer(nameOrId);
            }
            if (nameOrId.equals("plain")) {
                throw BerthException.notModified("container already started");
            }
            calls.add("start " + nameOrId);
        }

        @Override
        public void stop(String nameOrId, Integer timeoutSeconds, String signal) {
            calls.add("stop " + nameOrId + " t=" + timeoutSeconds + " signal=" + signal);
        }

        @Override
        public void restart(String nameOrId, Integer timeoutSeconds, String signal) {
            calls.add("restart " + nameOrId + " t=" + timeoutSeconds);
        }

        @Override
        public void kill(String nameOrId, String signal) {
            calls.add("kill " + nameOrId + " " + signal);
        }

        @Override
        public void pause(String nameOrId) {
            calls.add("pause " + nameOrId);
        }

        @Override
        public void unpause(String nameOrId) {
            calls.add("unpause " + nameOrId);
        }

        @Override
        public void remove(String nameOrId, boolean force, boolean removeVolumes, boolean removeLink) {
            if (!known(nameOrId)) {
                throw noSuchContainer(nameOrId);
            }
            calls.add("remove " + nameOrId + " force=" + force + " v=" + removeVolumes);
        }

        @Override
        public void rename(String nameOrId, String newName) {
            if (newName.equals("taken")) {
                throw BerthException.conflict("Conflict. The container name \"/taken\" is already in use");
            }
            calls.add("rename " + nameOrId + " " + newName);
        }

        @Override
        public List<String> update(String nameOrId, ContainerUpdateRequest request) {
            calls.add("update " + nameOrId + " memory=" + request.resources().memory());
            return List.of();
        }

        @Override
        public CompletableFuture<ContainerWaitResponse> waitFor(String nameOrId, String condition) {
            if (!known(nameOrId)) {
                throw noSuchContainer(nameOrId);
            }
            if (!List.of("not-running", "next-exit", "removed").contains(condition)) {
                throw BerthException.invalid("invalid condition: \"%s\"", condition);
            }
            return waits.computeIfAbsent(nameOrId, k -> new CompletableFuture<>());
        }

        @Override
        public ContainerTop top(String nameOrId, String psArgs) {
            return new ContainerTop(List.of("PID", "CMD"), List.of(List.of("1", "sh " + psArgs)));
        }

        @Override
        public void stats(String nameOrId, boolean stream, boolean oneShot, MessageSink sink) {
            try {
                for (int i = 0; i < (stream ? 3 : 1); i++) {
                    sink.send(Map.of("read", "t" + i, "id", ID));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void logs(String nameOrId, LogsOptions options, OutputSink sink) {
            calls.add("logs " + options);
            write(sink, StdStream.STDOUT, "out\n");
            write(sink, StdStream.STDERR, "err\n");
        }

        @Override
        public void attach(String nameOrId, AttachOptions options, HijackedStreams streams) {
            calls.add("attach " + options);
            echo(streams);
        }

        @Override
        public void resize(String nameOrId, int height, int width) {
            calls.add("resize " + nameOrId + " " + height + "x" + width);
        }

        @Override
        public PruneReport prune(Filters filters) {
            return new PruneReport(List.of(ID), 42);
        }

        @Override
        public void export(String nameOrId, OutputStream out) {
            if (!known(nameOrId)) {
                throw noSuchContainer(nameOrId);
            }
            try {
                out.write(new byte[1024]);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Echoes stdin to stdout ("echo:" prefix per read) until EOF, then writes "bye" to stderr. */
    static void echo(HijackedStreams streams) {
        try {
            InputStream in = streams.stdin();
            if (in != null) {
                byte[] buf = new byte[4096];
                for (int n; (n = in.read(buf)) > 0; ) {
                    write(streams.output(), StdStream.STDOUT, "echo:" + new String(buf, 0, n, StandardCharsets.UTF_8));
                }
            }
            write(streams.output(), StdStream.STDERR, "bye");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    final class Execs implements ExecBackend {
        @Override
        public String create(String containerNameOrId, ExecCreateRequest request) {
            if (!known(containerNameOrId)) {
                throw noSuchContainer(containerNameOrId);
            }
            calls.add("exec create " + request.cmd() + " tty=" + request.tty());
            return request.tty() ? "e".repeat(64) : "f".repeat(64);
        }

        @Override
        public void start(String execId, boolean tty, Integer consoleHeight, Integer consoleWidth, HijackedStreams streams) {
            calls.add("exec start " + execId.charAt(0) + " tty=" + tty + " size=" + consoleHeight + "x" + consoleWidth + " detached=" + (streams == null));
            if (streams != null) {
                echo(streams);
            }
        }

        @Override
        public void resize(String execId, int height, int width) {
            calls.add("exec resize " + height + "x" + width);
        }

        @Override
        public ExecInspect inspect(String execId) {
            check(execId);
            return new ExecInspect(false, "", execId, false, 0, null, true, true, true, ID, 0);
        }

        @Override
        public boolean usesTty(String execId) {
            check(execId);
            return execId.startsWith("e");
        }

        private void check(String execId) {
            if (!execId.matches("[ef]{64}")) {
                throw BerthException.notFound("No such exec instance: %s", execId);
            }
        }
    }

    final class Images implements ImageBackend {
        @Override
        public List<ImageSummary> list(boolean all, Filters filters, boolean withManifests) {
            calls.add("images all=" + all + " manifests=" + withManifests);
            return List.of(Records.of(ImageSummary.class, Map.of("id", "sha256:" + "a".repeat(64), "repoTags", List.of("busybox:latest"))));
        }

        @Override
        public ImageInspect inspect(String name) {
            if (!name.startsWith("localhost:5000/") && !name.startsWith("busybox")) {
                throw BerthException.notFound("No such image: %s", name);
            }
            return Records.of(ImageInspect.class, Map.of("id", "sha256:" + "a".repeat(64), "repoTags", List.of(name)));
        }

        @Override
        public List<HistoryItem> history(String name) {
            return List.of(new HistoryItem("<missing>", 0, "CMD", null, 0, ""));
        }

        @Override
        public void tag(String source, String repo, String tag) {
            calls.add("tag " + source + " " + repo + ":" + tag);
        }

        @Override
        public List<ImageDeleteItem> remove(String name, boolean force, boolean noPrune) {
            return List.of(new ImageDeleteItem(name, null), new ImageDeleteItem(null, "sha256:" + "a".repeat(64)));
        }

        @Override
        public PruneReport prune(Filters filters) {
            return new PruneReport(List.of(new ImageDeleteItem(null, "sha256:x")), 7);
        }

        @Override
        public void importImage(InputStream tar, String repo, String tag, List<String> changes, String message, String platform, MessageSink progress) {
            try {
                long n = tar.readAllBytes().length;
                calls.add("import " + n + " " + repo + ":" + tag + " changes=" + changes + " message=" + message);
                progress.send(JsonMessage.status(null, "sha256:" + "b".repeat(64)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void pull(String fromImage, String tag, String platform, String registryAuth, MessageSink progress) {
            calls.add("pull " + fromImage + " " + tag + " auth=" + registryAuth);
            if (fromImage.contains("nosuch")) {
                throw BerthException.notFound("pull access denied for %s, repository does not exist", fromImage);
            }
            try {
                progress.send(JsonMessage.status(tag, "Pulling from " + fromImage));
                if (fromImage.contains("broken")) {
                    throw BerthException.unavailable("registry went away");
                }
                progress.send(JsonMessage.status(null, "Status: Downloaded newer image for " + fromImage + ":" + tag));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void push(String name, String tag, String registryAuth, MessageSink progress) {
            try {
                progress.send(JsonMessage.status(null, "The push refers to repository [" + name + "]"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void load(InputStream archive, boolean quiet, MessageSink progress) {
            try {
                long n = archive.readAllBytes().length;
                progress.send(JsonMessage.stream("Loaded image: x (" + n + " bytes)\n"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void save(List<String> names, OutputStream out) {
            if (names.contains("missing")) {
                throw BerthException.notFound("No such image: missing");
            }
            try {
                out.write(String.join(",", names).getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    final class SystemImpl implements SystemBackend {
        @Override
        public SystemVersion version() {
            return new SystemVersion(Map.of("Name", "Berth Engine"), List.of(new SystemVersion.Component("Engine", "28.2.2-berth", Map.of())),
                    "28.2.2-berth", "1.50", "1.24", "berth", "java25", "linux", "amd64", "6.18", "2026-01-01T00:00:00Z");
        }

        @Override
        public SystemInfo info() {
            return Records.of(SystemInfo.class);
        }

        @Override
        public void events(double since, double until, Filters filters, MessageSink sink) {
            calls.add("events since=" + since + " until=" + until + " filters=" + filters.values());
            try {
                sink.send(new Event("start", ID, "busybox", "container", "start",
                        new Event.Actor(ID, Map.of("name", "plain")), "local", 1700000000L, 1700000000000000000L));
                while (!sink.isClosed() && until == 0) {
                    Thread.sleep(50);
                }
            } catch (IOException | InterruptedException e) {
                // client gone
            }
            if (until == 0) {
                eventsEnded.countDown();
            }
        }

        @Override
        public Map<String, Object> diskUsage() {
            return Map.of("LayersSize", 0, "Images", List.of(), "Containers", List.of(), "Volumes", List.of(), "BuildCache", List.of());
        }
    }

    final class Volumes implements VolumeBackend {
        private final Map<String, Volume> volumes = new ConcurrentHashMap<>();

        @Override
        public Volume create(VolumeCreateRequest request) {
            String name = request.name() == null ? "v" + volumes.size() : request.name();
            Volume v = new Volume(name, request.driver() == null ? "local" : request.driver(), "/var/lib/berth/volumes/" + name + "/_data",
                    "2026-01-01T00:00:00Z", null, request.labels(), "local", request.driverOpts(), null);
            volumes.put(name, v);
            return v;
        }

        @Override
        public List<Volume> list(Filters filters) {
            return new ArrayList<>(volumes.values());
        }

        @Override
        public Volume inspect(String name) {
            Volume v = volumes.get(name);
            if (v == null) {
                throw BerthException.notFound("get %s: no such volume", name);
            }
            return v;
        }

        @Override
        public void remove(String name, boolean force) {
            inspect(name);
            volumes.remove(name);
        }

        @Override
        public PruneReport prune(Filters filters) {
            return new PruneReport(List.of(), 0);
        }
    }

    final class Networks implements NetworkBackend {
        @Override
        public NetworkResource create(NetworkCreateRequest request) {
            calls.add("network create " + request.name() + " " + request.driver());
            return Records.of(NetworkResource.class, Map.of("name", request.name(), "id", "n".repeat(64)));
        }

        @Override
        public List<NetworkResource> list(Filters filters) {
            return List.of(Records.of(NetworkResource.class, Map.of("name", "bridge", "id", "b".repeat(64), "driver", "bridge", "scope", "local")));
        }

        @Override
        public NetworkResource inspect(String nameOrId, boolean verbose) {
            if (!nameOrId.equals("bridge")) {
                throw BerthException.notFound("network %s not found", nameOrId);
            }
            return list(Filters.NONE).getFirst();
        }

        @Override
        public void remove(String nameOrId) {
            inspect(nameOrId, false);
        }

        @Override
        public void connect(String nameOrId, NetworkConnectRequest request) {
            calls.add("connect " + nameOrId + " " + request.container());
        }

        @Override
        public void disconnect(String nameOrId, NetworkConnectRequest request) {
            calls.add("disconnect " + nameOrId + " " + request.container() + " force=" + request.force());
        }

        @Override
        public PruneReport prune(Filters filters) {
            return new PruneReport(List.of("n1"), 0);
        }
    }
}
