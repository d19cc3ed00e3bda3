package dev.berth.compose.engine;

import dev.berth.api.model.ContainerSummary;
import dev.berth.api.model.NetworkResource;
import dev.berth.client.BerthClient;
import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import dev.berth.compose.loader.Project;
import dev.berth.compose.loader.Values;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Lifecycle operations over a project's existing containers (down, stop, start, restart, kill,
 * pause, unpause, rm), each container handled on its own virtual thread. Thread-safe.
 */
public final class ProjectOps {
    private final BerthClient client;
    private final Progress progress;

    public ProjectOps(BerthClient client, Progress progress) {
        this.client = client;
        this.progress = progress;
    }

    /** down: stop and remove containers, then the project's networks; volumes with -v; images with --rmi. */
    public void down(Project p, boolean removeOrphans, boolean volumes, String rmi, Integer timeout) {
        List<ContainerSummary> all = ProjectContainers.list(client, p.name(), null, true);
        List<ContainerSummary> mine = new ArrayList<>();
        for (ContainerSummary c : all) {
            String svc = ProjectContainers.label(c, Labels.SERVICE);
            boolean known = svc != null && (p.services().containsKey(svc) || p.disabledServices().contains(svc));
            if (known || removeOrphans) {
                mine.add(c);
            } else {
                progress.warn("Found orphan containers ([" + ProjectContainers.name(c) + "]) for this project. If you removed or renamed this service in your compose file, you can run this command with the --remove-orphans flag to clean it up.");
            }
        }
        parallel(mine, c -> {
            String name = ProjectContainers.name(c);
            progress.event("Container", name, "Stopping");
            if ("running".equals(c.state()) || "paused".equals(c.state()) || "restarting".equals(c.state())) {
                client.containers().stop(c.id(), timeout, null);
            }
            progress.event("Container", name, "Stopped");
            client.containers().remove(c.id(), true, volumes, false);
            progress.event("Container", name, "Removed");
        });
        Set<String> nets = new LinkedHashSet<>();
        p.networks().forEach((k, v) -> {
            if (!Values.bool(Values.map(p.networks(), k).get("external"))) {
                nets.add(ContainerBody.networkName(p, k));
            }
        });
        for (NetworkResource n : client.networks().list(Map.of("label", List.of(Labels.PROJECT + "=" + p.name())))) {
            nets.add(n.name());
        }
        for (String n : nets) {
            try {
                client.networks().remove(n);
                progress.event("Network", n, "Removed");
            } catch (BerthException e) {
                if (e.kind() != ErrorKind.NOT_FOUND) {
                    progress.warn("network " + n + ": " + e.getMessage());
                }
            }
        }
        if (volumes) {
            p.volumes().forEach((k, v) -> {
                Map<String, Object> def = Values.map(p.volumes(), k);
                if (Values.bool(def.get("external"))) {
                    return;
                }
                String name = Values.str(def.get("name"));
                try {
                    client.volumes().remove(name, false);
                    progress.event("Volume", name, "Removed");
                } catch (BerthException e) {
                    if (e.kind() != ErrorKind.NOT_FOUND) {
                        progress.warn("volume " + name + ": " + e.getMessage());
                    }
                }
            });
        }
        if (rmi != null) {
            Set<String> images = new LinkedHashSet<>();
            p.services().forEach((s, v) -> {
                Map<String, Object> svc = p.service(s);
                if ("all".equals(rmi) || svc.get("image") == null) {
                    images.add(ContainerBody.image(p, s, svc));
                }
            });
            for (String img : images) {
                try {
                    client.images().remove(img, false, false);
                    progress.event("Image", img, "Removed");
                } catch (BerthException e) {
                    if (e.kind() != ErrorKind.NOT_FOUND) {
                        progress.warn("image " + img + ": " + e.getMessage());
                    }
                }
            }
        }
    }

    public void stop(Project p, Set<String> services, Integer timeout) {
        parallel(ProjectContainers.list(client, p.name(), services, false), c -> {
            progress.event("Container", ProjectContainers.name(c), "Stopping");
            client.containers().stop(c.id(), timeout, null);
            progress.event("Container", ProjectContainers.name(c), "Stopped");
        });
    }

    /** start: existing containers in dependency order. */
    public void start(Project p, Set<String> services) {
        List<ContainerSummary> cs = ProjectContainers.list(client, p.name(), services, false);
        List<String> order = new java.util.ArrayList<>(p.services().isEmpty() ? List.of() : ComposeEngine.select(p, services, false));
        // services of containers the model does not know (project by name only) go last
        cs.forEach(c -> {
            String svc = ProjectContainers.label(c, Labels.SERVICE);
            if (!order.contains(svc)) {
                order.add(svc);
            }
        });
        if (cs.isEmpty()) {
            throw new BerthException(ErrorKind.NOT_FOUND, "service \"" + (services == null || services.isEmpty() ? p.name() : services.iterator().next())
                    + "\" has no container to start");
        }
        for (String s : order) {
            for (ContainerSummary c : cs) {
                if (s.equals(ProjectContainers.label(c, Labels.SERVICE)) && !"running".equals(c.state())) {
                    progress.event("Container", ProjectContainers.name(c), "Starting");
                    client.containers().start(c.id());
                    progress.event("Container", ProjectContainers.name(c), "Started");
                }
            }
        }
    }

    public void restart(Project p, Set<String> services, Integer timeout) {
        parallel(ProjectContainers.list(client, p.name(), services, false), c -> {
            progress.event("Container", ProjectContainers.name(c), "Restarting");
            client.containers().restart(c.id(), timeout, null);
            progress.event("Container", ProjectContainers.name(c), "Started");
        });
    }

    public void kill(Project p, Set<String> services, String signal) {
        parallel(running(p, services), c -> {
            client.containers().kill(c.id(), signal);
            progress.event("Container", ProjectContainers.name(c), "Killed");
        });
    }

    public void pause(Project p, Set<String> services) {
        parallel(running(p, services), c -> {
            client.containers().pause(c.id());
            progress.event("Container", ProjectContainers.name(c), "Paused");
        });
    }

    public void unpause(Project p, Set<String> services) {
        parallel(ProjectContainers.list(client, p.name(), services, false).stream().filter(c -> "paused".equals(c.state())).toList(), c -> {
            client.containers().unpause(c.id());
            progress.event("Container", ProjectContainers.name(c), "Unpaused");
        });
    }

    /** rm: stopped containers (running ones too with stop=true). */
    public void rm(Project p, Set<String> services, boolean stopFirst, boolean volumes) {
        List<ContainerSummary> cs = ProjectContainers.list(client, p.name(), services, false);
        if (stopFirst) {
            parallel(cs.stream().filter(c -> "running".equals(c.state())).toList(), c -> client.containers().stop(c.id(), null, null));
            cs = ProjectContainers.list(client, p.name(), services, false);
        }
        List<ContainerSummary> stopped = cs.stream().filter(c -> !"running".equals(c.state()) && !"paused".equals(c.state())).toList();
        if (stopped.isEmpty()) {
            progress.line("No stopped containers");
            return;
        }
        parallel(stopped, c -> {
            client.containers().remove(c.id(), false, volumes, false);
            progress.event("Container", ProjectContainers.name(c), "Removed");
        });
    }

    private List<ContainerSummary> running(Project p, Set<String> services) {
        return ProjectContainers.list(client, p.name(), services, false).stream().filter(c -> "running".equals(c.state())).toList();
    }

    static void parallel(List<ContainerSummary> cs, Consumer<ContainerSummary> action) {
        try (ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<Void>> f = new ArrayList<>();
            for (ContainerSummary c : cs) {
                f.add(CompletableFuture.runAsync(() -> action.accept(c), exec));
            }
            try {
                CompletableFuture.allOf(f.toArray(CompletableFuture[]::new)).join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
    }
}
