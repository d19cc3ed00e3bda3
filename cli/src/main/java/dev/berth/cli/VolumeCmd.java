package dev.berth.cli;

import dev.berth.api.model.Volume;
import dev.berth.api.model.VolumeCreateRequest;
import dev.berth.common.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/** {@code berth volume create|ls|inspect|rm|prune}. */
@Command(name = "volume", description = "Manage volumes",
        subcommands = {VolumeCmd.Create.class, VolumeCmd.Ls.class, VolumeCmd.Inspect.class, VolumeCmd.Rm.class, VolumeCmd.Prune.class})
final class VolumeCmd implements Runnable {
    @Override
    public void run() {
        picocli.CommandLine.usage(this, System.out);
    }

    static Map<String, String> keyValues(List<String> kvs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String kv : kvs) {
            int eq = kv.indexOf('=');
            m.put(eq < 0 ? kv : kv.substring(0, eq), eq < 0 ? "" : kv.substring(eq + 1));
        }
        return m;
    }

    @Command(name = "create", description = "Create a volume")
    static final class Create extends BaseCommand {
        @Option(names = {"-d", "--driver"}, defaultValue = "local") String driver;
        @Option(names = {"-o", "--opt"}) List<String> opts = new ArrayList<>();
        @Option(names = "--label") List<String> labels = new ArrayList<>();
        @Option(names = "--name") String nameFlag;
        @Parameters(arity = "0..1", paramLabel = "VOLUME") String name;

        @Override
        public Integer call() {
            Volume v = client().volumes().create(new VolumeCreateRequest(name != null ? name : nameFlag, driver,
                    keyValues(opts), keyValues(labels)));
            out.println(v.name());
            return 0;
        }
    }

    @Command(name = "ls", aliases = "list", description = "List volumes")
    static final class Ls extends BaseCommand {
        @Option(names = {"-q", "--quiet"}) boolean quiet;
        @Option(names = {"-f", "--filter"}) List<String> filters = new ArrayList<>();
        @Option(names = "--format") String format;

        @Override
        public Integer call() {
            List<Volume> vols = new ArrayList<>(client().volumes().list(EventsCmd.parseFilters(filters)));
            vols.sort(java.util.Comparator.comparing(Volume::name));
            if (quiet) {
                vols.forEach(v -> out.println(v.name()));
                return 0;
            }
            if (format != null) {
                Template t = new Template(Template.isTable(format) ? Template.stripTable(format) : format);
                vols.forEach(v -> out.println(t.render(Map.of("Name", v.name(), "Driver", v.driver(),
                        "Mountpoint", v.mountpoint() == null ? "" : v.mountpoint(), "Scope", v.scope() == null ? "local" : v.scope()))));
                return 0;
            }
            Table t = new Table().line("DRIVER\tVOLUME NAME");
            vols.forEach(v -> t.row(v.driver(), v.name()));
            t.print(out);
            return 0;
        }
    }

    @Command(name = "inspect", description = "Display detailed information on one or more volumes")
    static final class Inspect extends BaseCommand {
        @Option(names = {"-f", "--format"}) String format;
        @Parameters(arity = "1..*", paramLabel = "VOLUME") List<String> names;

        @Override
        public Integer call() {
            ArrayNode all = Json.mapper().createArrayNode();
            int rc = forEach(names, n -> all.add(Json.mapper().<JsonNode>valueToTree(client().volumes().inspect(n))));
            if (format != null) {
                Template t = new Template(format);
                all.forEach(v -> out.println(t.render(v)));
            } else {
                out.println(GoJson.indent(all));
            }
            return rc;
        }
    }

    @Command(name = "rm", aliases = "remove", description = "Remove one or more volumes")
    static final class Rm extends BaseCommand {
        @Option(names = {"-f", "--force"}) boolean force;
        @Parameters(arity = "1..*", paramLabel = "VOLUME") List<String> names;

        @Override
        public Integer call() {
            return forEach(names, n -> {
                client().volumes().remove(n, force);
                out.println(n);
            });
        }
    }

    @Command(name = "prune", description = "Remove unused local volumes")
    static final class Prune extends BaseCommand {
        @Option(names = {"-f", "--force"}) boolean force;
        @Option(names = {"-a", "--all"}) boolean all;
        @Option(names = "--filter") List<String> filters = new ArrayList<>();

        @Override
        public Integer call() throws java.io.IOException {
            if (!force) {
                out.print("WARNING! This will remove anonymous local volumes not used by at least one container.\n"
                        + "Are you sure you want to continue? [y/N] ");
                out.flush();
                String answer = new java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine();
                if (answer == null || !answer.trim().toLowerCase().startsWith("y")) {
                    return 0;
                }
            }
            var f = EventsCmd.parseFilters(filters);
            if (all) {
                f.put("all", new java.util.LinkedHashSet<>(List.of("true")));
            }
            JsonNode r = client().volumes().prune(f);
            JsonNode deleted = r.path("VolumesDeleted");
            if (deleted.isArray() && !deleted.isEmpty()) {
                out.println("Deleted Volumes:");
                deleted.forEach(d -> out.println(d.asString()));
                out.println();
            }
            out.println("Total reclaimed space: " + Fmt.humanSize4(r.path("SpaceReclaimed").asLong()));
            return 0;
        }
    }
}
