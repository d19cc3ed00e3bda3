package dev.berth.compose.engine;

import dev.berth.api.model.ContainerSummary;
import dev.berth.client.BerthClient;
import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import dev.berth.common.Json;
import dev.berth.compose.loader.Project;
import dev.berth.compose.loader.Values;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Brings a loaded project up on the engine: networks and volumes, images, then each service's
 * containers reconciled against the config hash, services started in dependency order with
 * independent services in parallel (one virtual thread each), honouring depends_on conditions.
 * Talks to the engine only through {@link BerthClient}. Thread-safe; each call is independent.
 */
public final class ComposeEngine {
    private final BerthClient client;
    private final Progress progress;
    private final SecretFiles secrets;
    private final Health health;
    private final ProjectResources resources;

    public ComposeEngine(BerthClient client, Progress progress, SecretFiles secrets) {
        this.client = client;
        this.progress = progress;
        this.secrets = secrets;
        this.health = new Health(client, Duration.ofMillis(300));
        this.resources = new ProjectResources(client, progress);
    }

    public BerthClient client() {
        return client;
    }

    public Progress progress() {
        return progress;
    }

    /** The services to act on: {@code requested} (or all) plus their dependencies unless noDeps. */
    public static List<String> select(Project p, Set<String> requested, boolean withDeps) {
        Set<String> out = new LinkedHashSet<>();
        List<String> todo = new ArrayList<>(requested == null || requested.isEmpty() ? p.services().keySet() : requested);
        while (!todo.isEmpty()) {
            String s = todo.removeFirst();
            if (!p.services().containsKey(s)) {
                throw new BerthException(ErrorKind.INVALID_ARGUMENT, "no such service: " + s);
            }
            if (out.add(s) && withDeps) {
                ContainerBody.implicitDependencies(p.service(s)).forEach(d -> {
                    if (p.services().containsKey(d)) {
                        todo.add(d);
                    }
                });
            }
        }
        return topological(p, out);
    }

    /** Dependency order (dependencies first); a cycle is an error. */
    static List<String> topological(Project p, Set<String> services) {
        List<String> order = new ArrayList<>();
        Set<String> visiting = new LinkedHashSet<>();
        for (String s : services) {
            visit(p, s, services, visiting, order);
        }
        return order;
    }

    private static void visit(Project p, String s, Set<String> scope, Set<String> visiting, List<String> order) {
        if (order.contains(s)) {
            return;
        }
        if (!visiting.add(s)) {
            throw new BerthException(ErrorKind.INVALID_ARGUMENT, "dependency cycle detected: " + String.join(" -> ", visiting) + " -> " + s);
        }
        for (String d : ContainerBody.implicitDependencies(p.service(s))) {
            if (scope.contains(d)) {
                visit(p, d, scope, visiting, order);
            }
        }
        visiting.remove(s);
        order.add(s);
    }

    /** Networks, volumes and images for {@code services}, without touching containers. */
    public void prepare(Project p, List<String> services) {
        resources.ensureNetworks(p, services);
        resources.ensureVolumes(p);
        resources.ensureImages(p, services, "missing", false);
    }

    public void up(Project p, UpOptions o) {
        List<String> services = select(p, o.services(), !o.noDeps());
        resources.ensureNetworks(p, services);
        resources.ensureVolumes(p);
        resources.ensureImages(p, services, o.pull(), o.build());
        handleOrphans(p, o.removeOrphans());
        Map<String, CompletableFuture<Void>> done = new LinkedHashMap<>();
        Set<String> changed = java.util.concurrent.ConcurrentHashMap.newKeySet();
        try (ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String s : services) {
                List<CompletableFuture<Void>> deps = new ArrayList<>();
                ContainerBody.implicitDependencies(p.service(s)).forEach(d -> {
                    if (done.containsKey(d)) {
                        deps.add(done.get(d));
                    }
                });
                done.put(s, CompletableFuture.allOf(deps.toArray(CompletableFuture[]::new))
                        .thenRunAsync(() -> {
                            if (o.start()) {
                                awaitDependencies(p, s, done.keySet());
                            }
                            if (reconcile(p, s, o)) {
                                changed.add(s);
                            } else if (o.start()) {
                                restartForDependencies(p, s, changed);
                            }
                        }, exec));
            }
            try {
                CompletableFuture.allOf(done.values().toArray(CompletableFuture[]::new)).join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
        if (o.waitReady() && o.start()) {
            waitAll(p, services, o.waitTimeout());
        }
    }

    private void awaitDependencies(Project p, String service, Set<String> inScope) {
        Values.map(p.service(service), "depends_on").forEach((dep, c) -> {
            if (!inScope.contains(dep)) {
                return;
            }
            String condition = Values.str(((Map<?, ?>) c).get("condition"));
            Health.Goal goal = switch (condition == null ? "service_started" : condition) {
                case "service_healthy" -> Health.Goal.HEALTHY;
                case "service_completed_successfully" -> Health.Goal.COMPLETED_SUCCESSFULLY;
                default -> null;
            };
            if (goal == null) {
                return;
            }
            for (ContainerSummary d : ProjectContainers.list(client, p.name(), Set.of(dep), false)) {
                String name = ProjectContainers.name(d);
                progress.event("Container", name, goal == Health.Goal.HEALTHY ? "Waiting" : "Waiting");
                health.await(d.id(), name, goal, null);
                progress.event("Container", name, goal == Health.Goal.HEALTHY ? "Healthy" : "Exited");
            }
        });
    }

    /** depends_on.restart: a service whose dependency was recreated restarts too. */
    private void restartForDependencies(Project p, String service, Set<String> changed) {
        boolean restart = Values.map(p.service(service), "depends_on").entrySet().stream()
                .anyMatch(e -> changed.contains(e.getKey()) && Values.bool(((Map<?, ?>) e.getValue()).get("restart")));
        if (!restart) {
            return;
        }
        for (ContainerSummary c : ProjectContainers.list(client, p.name(), Set.of(service), false)) {
            String name = ProjectContainers.name(c);
            progress.event("Container", name, "Restarting");
            client.containers().restart(c.id(), null, null);
            progress.event("Container", name, "Started");
        }
    }

    /** Brings the containers of one service to the desired count and config; true if any was (re)created. */
    boolean reconcile(Project p, String service, UpOptions o) {
        boolean created = false;
        Map<String, Object> s = p.service(service);
        String hash = ConfigHash.of(s);
        int replicas = replicas(s, o.scale().get(service));
        if (replicas > 1 && s.get("container_name") != null) {
            throw new BerthException(ErrorKind.INVALID_ARGUMENT, "services." + service + ": can't set container_name and "
                    + service + " as container name must be unique: invalid compose project");
        }
        List<ContainerSummary> existing = ProjectContainers.list(client, p.name(), Set.of(service), false);
        String imageId = imageId(ContainerBody.image(p, service, s));
        for (ContainerSummary c : existing) {
            if (ProjectContainers.number(c) > replicas) {
                String name = ProjectContainers.name(c);
                progress.event("Container", name, "Stopping");
                client.containers().stop(c.id(), null, null);
                client.containers().remove(c.id(), true, false, false);
                progress.event("Container", name, "Removed");
            }
        }
        for (int n = 1; n <= replicas; n++) {
            final int num = n;
            ContainerSummary c = existing.stream().filter(x -> ProjectContainers.number(x) == num).findFirst().orElse(null);
            if (c == null) {
                String id = create(p, service, s, n, hash, Naming.container(p.name(), service, n, s));
                if (o.start()) {
                    start(id, Naming.container(p.name(), service, n, s));
                }
                created = true;
                continue;
            }
            String name = ProjectContainers.name(c);
            // a new config or a new image (pulled/rebuilt under the same name) needs a new container
            boolean changed = !hash.equals(ProjectContainers.label(c, Labels.CONFIG_HASH))
                    || (imageId != null && c.imageId() != null && !imageId.equals(c.imageId()));
            if (o.forceRecreate() || (changed && !o.noRecreate())) {
                recreate(p, service, s, n, hash, c, o);
                created = true;
            } else if (o.start() && !"running".equals(c.state())) {
                start(c.id(), name);
            } else {
                progress.event("Container", name, "Running");
            }
        }
        return created;
    }

    private String imageId(String image) {
        try {
            return client.images().inspect(image).id();
        } catch (BerthException e) {
            return null;
        }
    }

    static int replicas(Map<String, Object> s, Integer override) {
        if (override != null) {
            return override;
        }
        Object scale = s.get("scale");
        if (scale != null) {
            return Integer.parseInt(Values.str(scale));
        }
        Object r = Values.map(s, "deploy").get("replicas");
        return r == null ? 1 : Integer.parseInt(Values.str(r));
    }

    private void recreate(Project p, String service, Map<String, Object> s, int n, String hash, ContainerSummary old, UpOptions o) {
        String name = ProjectContainers.name(old);
        progress.event("Container", name, "Recreate");
        if (o.startFirst() && s.get("container_name") == null && Values.list(s, "ports").isEmpty()) {
            // zero-downtime replace: the new container runs (and is healthy) before the old one stops
            String tmpName = old.id().substring(0, 12) + "_" + name;
            String id = new StartFirst(client, health, secrets, this).replace(p, service, s, n, hash, tmpName, old.id(), o.waitTimeout());
            client.containers().stop(old.id(), null, null);
            client.containers().remove(old.id(), true, false, false);
            client.containers().rename(id, name);
            progress.event("Container", name, "Recreated");
            return;
        }
        client.containers().stop(old.id(), null, null);
        client.containers().rename(old.id(), old.id().substring(0, 12) + "_" + name);
        String id = create(p, service, s, n, hash, name);
        client.containers().remove(old.id(), true, false, false);
        progress.event("Container", name, "Recreated");
        if (o.start()) {
            start(id, name);
        }
    }

    String create(Project p, String service, Map<String, Object> s, int n, String hash, String name) {
        Map<String, Object> body = ContainerBody.build(p, service, n, false, hash, s, secrets);
        checkGpus(body);
        progress.event("Container", name, "Creating");
        String id = client.containers().create(name, Values.str(s.get("platform")), Json.mapper().valueToTree(body)).id();
        connectExtra(p, service, s, id, false);
        progress.event("Container", name, "Created");
        return id;
    }

    /**
     * GPU reservations are passed to the engine as DeviceRequests; on a local engine without any
     * NVIDIA device nodes we refuse up front with Docker's message instead of creating a
     * container that silently runs without the GPU.
     */
    @SuppressWarnings("unchecked")
    void checkGpus(Map<String, Object> body) {
        Object reqs = ((Map<String, Object>) body.get("HostConfig")).get("DeviceRequests");
        if (!(reqs instanceof List<?> list) || list.isEmpty() || !"unix".equals(client.address().scheme())) {
            return;
        }
        if (!java.nio.file.Files.exists(java.nio.file.Path.of("/dev/nvidiactl"))) {
            Map<String, Object> first = (Map<String, Object>) list.getFirst();
            throw new BerthException(ErrorKind.INVALID_ARGUMENT, "could not select device driver \"" + first.get("Driver")
                    + "\" with capabilities: " + first.get("Capabilities") + " (this host has no GPU: /dev/nvidiactl is missing)");
        }
    }

    void connectExtra(Project p, String service, Map<String, Object> s, String id, boolean oneOff) {
        ContainerBody.extraNetworks(p, service, s, oneOff).forEach((net, ep) -> client.networks().connect(net,
                Json.mapper().convertValue(Map.of("Container", id, "EndpointConfig", ep), dev.berth.api.model.NetworkConnectRequest.class)));
    }

    void start(String id, String name) {
        progress.event("Container", name, "Starting");
        client.containers().start(id);
        progress.event("Container", name, "Started");
    }

    private void waitAll(Project p, List<String> services, Duration timeout) {
        List<ContainerSummary> all = ProjectContainers.list(client, p.name(), Set.copyOf(services), false);
        // services others wait on with service_completed_successfully are one-shot: done means exited 0
        Set<String> oneShot = new LinkedHashSet<>();
        p.services().keySet().forEach(s -> Values.map(p.service(s), "depends_on").forEach((d, c) -> {
            if ("service_completed_successfully".equals(Values.str(((Map<?, ?>) c).get("condition")))) {
                oneShot.add(d);
            }
        }));
        try (ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<Void>> f = new ArrayList<>();
            for (ContainerSummary c : all) {
                String name = ProjectContainers.name(c);
                f.add(CompletableFuture.runAsync(() -> {
                    progress.event("Container", name, "Waiting");
                    boolean once = oneShot.contains(ProjectContainers.label(c, Labels.SERVICE));
                    health.await(c.id(), name, once ? Health.Goal.COMPLETED_SUCCESSFULLY : Health.Goal.RUNNING_OR_HEALTHY, timeout);
                    progress.event("Container", name, once ? "Exited" : "Healthy");
                }, exec));
            }
            try {
                CompletableFuture.allOf(f.toArray(CompletableFuture[]::new)).join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
    }

    private void handleOrphans(Project p, boolean remove) {
        for (ContainerSummary c : ProjectContainers.list(client, p.name(), null, false)) {
            String svc = ProjectContainers.label(c, Labels.SERVICE);
            if (svc != null && !p.services().containsKey(svc) && !p.disabledServices().contains(svc)) {
                String name = ProjectContainers.name(c);
                if (remove) {
                    client.containers().stop(c.id(), null, null);
                    client.containers().remove(c.id(), true, false, false);
                    progress.event("Container", name, "Removed");
                } else {
                    progress.warn("Found orphan containers ([" + name + "]) for this project. If you removed or renamed this service in your compose file, you can run this command with the --remove-orphans flag to clean it up.");
                }
            }
        }
    }
}
