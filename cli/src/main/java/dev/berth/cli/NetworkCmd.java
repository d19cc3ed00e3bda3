package dev.berth.cli;

import dev.berth.api.model.NetworkCreateRequest;
import dev.berth.api.model.NetworkResource;
import dev.berth.common.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.node.ArrayNode;

/** {@code berth network ls|inspect|create|rm|connect|disconnect|prune}. */
@Command(name = "network", description = "Manage networks",
        subcommands = {NetworkCmd.Ls.class, NetworkCmd.Inspect.class, NetworkCmd.Create.class, NetworkCmd.Rm.class,
                Groups.NetworkConnect.class, Groups.NetworkDisconnect.class, Prune.NetworkPrune.class})
final class NetworkCmd implements Runnable {
    @Override
    public void run() {
        picocli.CommandLine.usage(this, System.out);
    }

    @Command(name = "ls", aliases = "list", description = "List networks")
    static final class Ls extends BaseCommand {
        @Option(names = {"-q", "--quiet"}) boolean quiet;
        @Option(names = "--no-trunc") boolean noTrunc;
        @Option(names = {"-f", "--filter"}) List<String> filters = new ArrayList<>();
        @Option(names = "--format") String format;

        @Override
        public Integer call() {
            List<NetworkResource> nets = new ArrayList<>(client().networks().list(EventsCmd.parseFilters(filters)));
            nets.sort(java.util.Comparator.comparing(NetworkResource::name));
            if (quiet) {
                nets.forEach(n -> out.println(noTrunc ? n.id() : Fmt.shortId(n.id())));
                return 0;
            }
            if (format != null) {
                Template t = new Template(Template.isTable(format) ? Template.stripTable(format) : format);
                nets.forEach(n -> out.println(t.render(Map.of("ID", noTrunc ? n.id() : Fmt.shortId(n.id()), "Name", n.name(),
                        "Driver", n.driver(), "Scope", n.scope() == null ? "local" : n.scope()))));
                return 0;
            }
            Table t = new Table().line("NETWORK ID\tNAME\tDRIVER\tSCOPE");
            nets.forEach(n -> t.row(noTrunc ? n.id() : Fmt.shortId(n.id()), n.name(), n.driver(), n.scope() == null ? "local" : n.scope()));
            t.print(out);
            return 0;
        }
    }

    @Command(name = "inspect", description = "Display detailed information on one or more networks")
    static final class Inspect extends BaseCommand {
        @Option(names = {"-f", "--format"}) String format;
        @Parameters(arity = "1..*", paramLabel = "NETWORK") List<String> names;

        @Override
        public Integer call() {
            ArrayNode all = Json.mapper().createArrayNode();
            int rc = forEach(names, n -> all.add(client().networks().inspectRaw(n)));
            if (format != null) {
                Template t = new Template(format);
                all.forEach(v -> out.println(t.render(v)));
            } else {
                out.println(GoJson.indent(all));
            }
            return rc;
        }
    }

    @Command(name = "create", description = "Create a network")
    static final class Create extends BaseCommand {
        @Option(names = {"-d", "--driver"}, defaultValue = "bridge") String driver;
        @Option(names = "--subnet") List<String> subnets = new ArrayList<>();
        @Option(names = "--gateway") List<String> gateways = new ArrayList<>();
        @Option(names = "--ip-range") List<String> ipRanges = new ArrayList<>();
        @Option(names = "--internal") boolean internal;
        @Option(names = "--attachable") boolean attachable;
        @Option(names = "--ipv6") Boolean ipv6;
        @Option(names = {"-o", "--opt"}) List<String> opts = new ArrayList<>();
        @Option(names = "--label") List<String> labels = new ArrayList<>();
        @Parameters(index = "0", paramLabel = "NETWORK") String name;

        @Override
        public Integer call() {
            List<NetworkResource.IpamConfig> cfg = new ArrayList<>();
            for (int i = 0; i < subnets.size(); i++) {
                cfg.add(new NetworkResource.IpamConfig(subnets.get(i), i < ipRanges.size() ? ipRanges.get(i) : null,
                        i < gateways.size() ? gateways.get(i) : null, null));
            }
            String id = client().networks().create(new NetworkCreateRequest(name, driver, null, internal, attachable, false,
                    false, null, ipv6, new NetworkResource.Ipam("default", cfg, Map.of()), VolumeCmd.keyValues(opts),
                    VolumeCmd.keyValues(labels)));
            out.println(id);
            return 0;
        }
    }

    @Command(name = "rm", aliases = "remove", description = "Remove one or more networks")
    static final class Rm extends BaseCommand {
        @Option(names = {"-f", "--force"}) boolean force;
        @Parameters(arity = "1..*", paramLabel = "NETWORK") List<String> names;

        @Override
        public Integer call() {
            return forEach(names, n -> {
                client().networks().remove(n);
                out.println(n);
            });
        }
    }
}
