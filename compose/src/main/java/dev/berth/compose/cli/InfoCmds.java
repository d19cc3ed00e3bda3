package dev.berth.compose.cli;

import dev.berth.api.model.ContainerSummary;
import dev.berth.api.model.ContainerTop;
import dev.berth.api.model.ImageInspect;
import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import dev.berth.common.Json;
import dev.berth.compose.engine.ConfigHash;
import dev.berth.compose.engine.Labels;
import dev.berth.compose.engine.LogPrinter;
import dev.berth.compose.engine.ProjectContainers;
import dev.berth.compose.loader.ConfigWriter;
import dev.berth.compose.loader.Project;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** config, ps, logs, top, port, images, ls, version, events. */
final class InfoCmds {
    private InfoCmds() {}

    @Command(name = "config", description = "Parse, resolve and render compose file in canonical format")
    static final class Config extends LifecycleCmds.Sub {
        @Option(names = {"-q", "--quiet"}) boolean quiet;
        @Option(names = "--services") boolean listServices;
        @Option(names = "--volumes") boolean listVolumes;
        @Option(names = "--networks") boolean listNetworks;
        @Option(names = "--profiles") boolean listProfiles;
        @Option(names = "--images") boolean listImages;
        @Option(names = "--hash", description = "Print the service config hash, one per line (\"*\" for all)") String hash;
        @Option(names = "--format", description = "yaml|json") String format = "yaml";
        @Option(names = {"-o", "--output"}) java.nio.file.Path output;

        @Override
        public Integer call() throws Exception {
            Project p = compose.project();
            p.warnings().forEach(w -> compose.progress().warn(w));
            if (quiet) {
                return 0;
            }
            StringBuilder sb = new StringBuilder();
            if (listServices) {
                p.services().keySet().forEach(s -> sb.append(s).append('\n'));
            } else if (listVolumes) {
                p.volumes().keySet().forEach(s -> sb.append(s).append('\n'));
            } else if (listNetworks) {
                p.networks().keySet().forEach(s -> sb.append(s).append('\n'));
            } else if (listImages) {
                p.services().keySet().forEach(s -> sb.append(dev.berth.compose.engine.ContainerBody.image(p, s, p.service(s))).append('\n'));
            } else if (listProfiles) {
                java.util.Set<String> all = new java.util.TreeSet<>();
                p.services().values().forEach(v -> dev.berth.compose.loader.Values.list(cast(v), "profiles").forEach(x -> all.add(x.toString())));
                all.forEach(x -> sb.append(x).append('\n'));
            } else if (hash != null) {
                for (String s : p.services().keySet()) {
                    if (hash.equals("*") || List.of(hash.split(",")).contains(s)) {
                        sb.append(s).append(' ').append(ConfigHash.of(p.service(s))).append('\n');
                    }
                }
            } else {
                sb.append("json".equals(format) ? ConfigWriter.json(p.model()) + "\n" : ConfigWriter.yaml(p.model()));
            }
            if (output != null) {
                java.nio.file.Files.writeString(output, sb);
            } else {
                System.out.print(sb);
            }
            return 0;
        }

        @SuppressWarnings("unchecked")
        private static Map<String, Object> cast(Object o) {
            return (Map<String, Object>) o;
        }
    }

    @Command(name = "ps", description = "List containers")
    static final class Ps extends LifecycleCmds.Sub {
        @Option(names = {"-a", "--all"}) boolean all;
        @Option(names = {"-q", "--quiet"}) boolean quiet;
        @Option(names = "--services") boolean listServices;
        @Option(names = "--format", description = "table|json") String format = "table";
        @Option(names = "--status") List<String> status = new ArrayList<>();

        @Override
        public Integer call() {
            Project p = compose.projectOrName();
            List<ContainerSummary> cs = ProjectContainers.list(compose.client(), p.name(), serviceSet(), false).stream()
                    .filter(c -> all || "running".equals(c.state()) || "restarting".equals(c.state()) || "paused".equals(c.state()))
                    .filter(c -> status.isEmpty() || status.contains(c.state()))
                    .toList();
            if (quiet) {
                cs.forEach(c -> System.out.println(c.id()));
                return 0;
            }
            if (listServices) {
                cs.stream().map(c -> ProjectContainers.label(c, Labels.SERVICE)).distinct().forEach(System.out::println);
                return 0;
            }
            if ("json".equals(format)) {
                for (ContainerSummary c : cs) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("ID", c.id());
                    m.put("Name", ProjectContainers.name(c));
                    m.put("Image", c.image());
                    m.put("Command", c.command());
                    m.put("Project", p.name());
                    m.put("Service", ProjectContainers.label(c, Labels.SERVICE));
                    m.put("Created", c.created());
                    m.put("State", c.state());
                    m.put("Status", c.status());
                    m.put("Health", health(c.status()));
                    m.put("ExitCode", 0);
                    m.put("Publishers", c.ports());
                    m.put("Labels", c.labels());
                    System.out.println(Json.mapper().writeValueAsString(m));
                }
                return 0;
            }
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"NAME", "IMAGE", "COMMAND", "SERVICE", "CREATED", "STATUS", "PORTS"});
            for (ContainerSummary c : cs) {
                String cmd = c.command() == null ? "" : c.command();
                if (cmd.length() > 20) {
                    cmd = cmd.substring(0, 19) + "…";
                }
                rows.add(new String[] {ProjectContainers.name(c), c.image(), "\"" + cmd + "\"",
                        ProjectContainers.label(c, Labels.SERVICE), ago(c.created()), c.status(), ports(c)});
            }
            Table.print(rows);
            return 0;
        }

        private static String health(String status) {
            if (status == null) {
                return "";
            }
            for (String h : List.of("healthy", "unhealthy", "starting")) {
                if (status.contains("(" + h + ")") || status.contains("(health: " + h + ")")) {
                    return h;
                }
            }
            return "";
        }
    }

    static String ports(ContainerSummary c) {
        if (c.ports() == null) {
            return "";
        }
        List<String> out = new ArrayList<>();
        for (var port : c.ports()) {
            out.add(port.publicPort() == null ? port.privatePort() + "/" + port.type()
                    : (port.ip() == null ? "" : port.ip() + ":") + port.publicPort() + "->" + port.privatePort() + "/" + port.type());
        }
        return String.join(", ", out);
    }

    static String ago(long epochSeconds) {
        Duration d = Duration.between(Instant.ofEpochSecond(epochSeconds), Instant.now());
        long s = Math.max(0, d.getSeconds());
        if (s < 60) {
            return s + " seconds ago";
        }
        if (s < 3600) {
            return s / 60 == 1 ? "About a minute ago" : s / 60 + " minutes ago";
        }
        if (s < 86400) {
            return s / 3600 == 1 ? "About an hour ago" : s / 3600 + " hours ago";
        }
        return s / 86400 + " days ago";
    }

    @Command(name = "logs", description = "View output from containers")
    static final class Logs extends LifecycleCmds.Sub {
        @Option(names = {"-f", "--follow"}) boolean follow;
        @Option(names = {"-n", "--tail"}) String tail = "all";
        @Option(names = {"-t", "--timestamps"}) boolean timestamps;
        @Option(names = "--no-color") boolean noColor;
        @Option(names = "--no-log-prefix") boolean noPrefix;
        @Option(names = "--since") String since;
        @Option(names = "--until") String until;

        @Override
        public Integer call() {
            Project p = compose.projectOrName();
            List<ContainerSummary> cs = ProjectContainers.list(compose.client(), p.name(), serviceSet(), false);
            new LogPrinter(compose.client(), System.out).print(cs,
                    new LogPrinter.Options(follow, tail, timestamps, compose.color() && !noColor, !noPrefix, since, until));
            return 0;
        }
    }

    @Command(name = "top", description = "Display the running processes")
    static final class Top extends LifecycleCmds.Sub {
        @Override
        public Integer call() {
            Project p = compose.projectOrName();
            for (ContainerSummary c : ProjectContainers.list(compose.client(), p.name(), serviceSet(), false)) {
                if (!"running".equals(c.state())) {
                    continue;
                }
                ContainerTop top = compose.client().containers().top(c.id(), null);
                System.out.println(ProjectContainers.name(c));
                List<String[]> rows = new ArrayList<>();
                rows.add(top.titles().toArray(String[]::new));
                top.processes().forEach(r -> rows.add(r.toArray(String[]::new)));
                Table.print(rows);
                System.out.println();
            }
            return 0;
        }
    }

    @Command(name = "port", description = "Print the public port for a port binding")
    static final class Port implements Callable<Integer> {
        @picocli.CommandLine.ParentCommand ComposeCommand compose;
        @Parameters(index = "0") String service;
        @Parameters(index = "1") String privatePort;
        @Option(names = "--protocol") String protocol = "tcp";
        @Option(names = "--index") int index = 1;

        @Override
        public Integer call() {
            Project p = compose.project();
            int want = Integer.parseInt(privatePort.split("/")[0]);
            for (ContainerSummary c : ProjectContainers.list(compose.client(), p.name(), java.util.Set.of(service), false)) {
                if (ProjectContainers.number(c) != index || c.ports() == null) {
                    continue;
                }
                for (var port : c.ports()) {
                    if (port.privatePort() == want && protocol.equals(port.type()) && port.publicPort() != null) {
                        System.out.println((port.ip() == null ? "0.0.0.0" : port.ip()) + ":" + port.publicPort());
                        return 0;
                    }
                }
            }
            throw new BerthException(ErrorKind.NOT_FOUND, "no port " + privatePort + "/" + protocol + " for container " + service + "-" + index);
        }
    }

    @Command(name = "images", description = "List images used by the created containers")
    static final class Images extends LifecycleCmds.Sub {
        @Option(names = {"-q", "--quiet"}) boolean quiet;

        @Override
        public Integer call() {
            Project p = compose.projectOrName();
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"CONTAINER", "REPOSITORY", "TAG", "IMAGE ID", "SIZE"});
            for (ContainerSummary c : ProjectContainers.list(compose.client(), p.name(), serviceSet(), false)) {
                String img = c.image();
                int colon = img.lastIndexOf(':');
                boolean tagged = colon > img.lastIndexOf('/');
                String id = c.imageId() == null ? "" : c.imageId().replace("sha256:", "");
                if (quiet) {
                    System.out.println(id);
                    continue;
                }
                long size = 0;
                try {
                    ImageInspect ii = compose.client().images().inspect(c.imageId());
                    size = ii.size();
                } catch (BerthException ignored) {
                    // image gone: size unknown
                }
                rows.add(new String[] {ProjectContainers.name(c), tagged ? img.substring(0, colon) : img, tagged ? img.substring(colon + 1) : "latest",
                        id.length() > 12 ? id.substring(0, 12) : id, human(size)});
            }
            if (!quiet) {
                Table.print(rows);
            }
            return 0;
        }
    }

    static String human(long bytes) {
        String[] u = {"B", "kB", "MB", "GB", "TB"};
        double v = bytes;
        int i = 0;
        while (v >= 1000 && i < u.length - 1) {
            v /= 1000;
            i++;
        }
        return i == 0 ? bytes + "B" : String.format(java.util.Locale.ROOT, "%.3g%s", v, u[i]);
    }

    @Command(name = "ls", description = "List running compose projects")
    static final class Ls implements Callable<Integer> {
        @picocli.CommandLine.ParentCommand ComposeCommand compose;
        @Option(names = {"-a", "--all"}) boolean all;
        @Option(names = {"-q", "--quiet"}) boolean quiet;
        @Option(names = "--format") String format = "table";

        @Override
        public Integer call() {
            List<ContainerSummary> cs = compose.client().containers().list(true, null, false, Map.of("label", List.of(Labels.PROJECT)));
            Map<String, List<ContainerSummary>> byProject = new TreeMap<>();
            cs.forEach(c -> byProject.computeIfAbsent(ProjectContainers.label(c, Labels.PROJECT), k -> new ArrayList<>()).add(c));
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"NAME", "STATUS", "CONFIG FILES"});
            List<Map<String, Object>> json = new ArrayList<>();
            byProject.forEach((name, list) -> {
                Map<String, Integer> states = new TreeMap<>();
                list.forEach(c -> states.merge(c.state(), 1, Integer::sum));
                if (!all && !states.containsKey("running")) {
                    return;
                }
                List<String> st = new ArrayList<>();
                states.forEach((k, v) -> st.add(k + "(" + v + ")"));
                String files = ProjectContainers.label(list.getFirst(), Labels.CONFIG_FILES);
                rows.add(new String[] {name, String.join(", ", st), files == null ? "" : files});
                json.add(Map.of("Name", name, "Status", String.join(", ", st), "ConfigFiles", files == null ? "" : files));
            });
            if (quiet) {
                rows.stream().skip(1).forEach(r -> System.out.println(r[0]));
            } else if ("json".equals(format)) {
                System.out.println(Json.mapper().writeValueAsString(json));
            } else {
                Table.print(rows);
            }
            return 0;
        }
    }

    @Command(name = "version", description = "Show the Berth Compose version information")
    static final class Version implements Callable<Integer> {
        @Option(names = "--short") boolean shortVersion;

        @Override
        public Integer call() {
            System.out.println(shortVersion ? Labels.COMPOSE_VERSION : "Berth Compose version v" + Labels.COMPOSE_VERSION);
            return 0;
        }
    }

    @Command(name = "events", description = "Receive real time events from containers")
    static final class Events extends LifecycleCmds.Sub {
        @Option(names = "--json") boolean json;

        @Override
        public Integer call() {
            Project p = compose.projectOrName();
            Map<String, List<String>> filters = new LinkedHashMap<>();
            filters.put("label", List.of(Labels.PROJECT + "=" + p.name()));
            filters.put("type", List.of("container"));
            compose.client().system().events(null, null, filters, e -> {
                Map<String, String> attrs = e.actor() == null || e.actor().attributes() == null ? Map.of() : e.actor().attributes();
                String svc = attrs.get(Labels.SERVICE);
                if (!services.isEmpty() && !services.contains(svc)) {
                    return true;
                }
                if (json) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("time", Instant.ofEpochSecond(e.time()).toString());
                    m.put("type", "container");
                    m.put("action", e.action());
                    m.put("id", e.actor() == null ? e.id() : e.actor().id());
                    m.put("service", svc);
                    m.put("attributes", attrs);
                    System.out.println(Json.mapper().writeValueAsString(m));
                } else {
                    System.out.println(Instant.ofEpochSecond(e.time()) + " container " + e.action() + " "
                            + (e.actor() == null ? e.id() : e.actor().id()) + " (name=" + attrs.get("name") + ", image=" + attrs.get("image") + ")");
                }
                System.out.flush();
                return true;
            });
            return 0;
        }
    }
}
