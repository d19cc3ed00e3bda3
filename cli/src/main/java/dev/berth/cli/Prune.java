package dev.berth.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/** {@code container prune}, {@code image prune}, {@code network prune}, {@code system prune}: docker's prompts and output. */
final class Prune {
    private Prune() {}

    /** Asks docker's question; true to go on. */
    static boolean confirm(BaseCommand c, String warning) throws IOException {
        c.out.print(warning + "\nAre you sure you want to continue? [y/N] ");
        c.out.flush();
        String answer = new BufferedReader(new InputStreamReader(System.in)).readLine();
        return answer != null && answer.trim().toLowerCase().startsWith("y");
    }

    static long containers(BaseCommand c, Map<String, Set<String>> f) {
        JsonNode r = c.client().containers().prune(f);
        JsonNode d = r.path("ContainersDeleted");
        if (d.isArray() && !d.isEmpty()) {
            c.out.println("Deleted Containers:");
            d.forEach(x -> c.out.println(x.asString()));
            c.out.println();
        }
        return r.path("SpaceReclaimed").asLong();
    }

    static long images(BaseCommand c, Map<String, Set<String>> f, boolean all) {
        if (all) {
            f.put("dangling", new LinkedHashSet<>(List.of("false")));
        }
        JsonNode r = c.client().images().prune(f);
        JsonNode d = r.path("ImagesDeleted");
        if (d.isArray() && !d.isEmpty()) {
            c.out.println("Deleted Images:");
            d.forEach(x -> {
                if (x.hasNonNull("Untagged")) {
                    c.out.println("untagged: " + x.get("Untagged").asString());
                }
                if (x.hasNonNull("Deleted")) {
                    c.out.println("deleted: " + x.get("Deleted").asString());
                }
            });
            c.out.println();
        }
        return r.path("SpaceReclaimed").asLong();
    }

    static void networks(BaseCommand c, Map<String, Set<String>> f) {
        JsonNode r = c.client().networks().prune(f);
        JsonNode d = r.path("NetworksDeleted");
        if (d.isArray() && !d.isEmpty()) {
            c.out.println("Deleted Networks:");
            d.forEach(x -> c.out.println(x.asString()));
            c.out.println();
        }
    }

    @Command(name = "prune", description = "Remove all stopped containers")
    static final class ContainerPrune extends BaseCommand {
        @Option(names = {"-f", "--force"}) boolean force;
        @Option(names = "--filter") List<String> filters = new ArrayList<>();

        @Override
        public Integer call() throws IOException {
            if (!force && !confirm(this, "WARNING! This will remove all stopped containers.")) {
                return 0;
            }
            out.println("Total reclaimed space: " + Fmt.humanSize4(containers(this, EventsCmd.parseFilters(filters))));
            return 0;
        }
    }

    @Command(name = "prune", description = "Remove unused images")
    static final class ImagePrune extends BaseCommand {
        @Option(names = {"-f", "--force"}) boolean force;
        @Option(names = {"-a", "--all"}) boolean all;
        @Option(names = "--filter") List<String> filters = new ArrayList<>();

        @Override
        public Integer call() throws IOException {
            String w = all ? "WARNING! This will remove all images without at least one container associated to them."
                    : "WARNING! This will remove all dangling images.";
            if (!force && !confirm(this, w)) {
                return 0;
            }
            out.println("Total reclaimed space: " + Fmt.humanSize4(images(this, EventsCmd.parseFilters(filters), all)));
            return 0;
        }
    }

    @Command(name = "prune", description = "Remove all unused networks")
    static final class NetworkPrune extends BaseCommand {
        @Option(names = {"-f", "--force"}) boolean force;
        @Option(names = "--filter") List<String> filters = new ArrayList<>();

        @Override
        public Integer call() throws IOException {
            if (!force && !confirm(this, "WARNING! This will remove all custom networks not used by at least one container.")) {
                return 0;
            }
            networks(this, EventsCmd.parseFilters(filters));
            return 0;
        }
    }

    @Command(name = "prune", description = "Remove unused data")
    static final class SystemPrune extends BaseCommand {
        @Option(names = {"-f", "--force"}) boolean force;
        @Option(names = {"-a", "--all"}) boolean all;
        @Option(names = "--volumes") boolean volumes;
        @Option(names = "--filter") List<String> filters = new ArrayList<>();

        @Override
        public Integer call() throws IOException {
            StringBuilder w = new StringBuilder("WARNING! This will remove:\n  - all stopped containers\n");
            if (volumes) {
                w.append("  - all anonymous volumes not used by at least one container\n");
            }
            w.append("  - all networks not used by at least one container\n");
            w.append(all ? "  - all images without at least one container associated to them\n" : "  - all dangling images\n");
            w.append("  - unused build cache\n");
            if (!force && !confirm(this, w.toString())) {
                return 0;
            }
            long total = containers(this, EventsCmd.parseFilters(filters));
            if (volumes) {
                JsonNode r = client().volumes().prune(EventsCmd.parseFilters(filters));
                JsonNode d = r.path("VolumesDeleted");
                if (d.isArray() && !d.isEmpty()) {
                    out.println("Deleted Volumes:");
                    d.forEach(x -> out.println(x.asString()));
                    out.println();
                }
                total += r.path("SpaceReclaimed").asLong();
            }
            networks(this, EventsCmd.parseFilters(filters));
            total += images(this, EventsCmd.parseFilters(filters), all);
            try {
                JsonNode b = client().images().pruneBuildCache(all);
                JsonNode d = b.path("CachesDeleted");
                if (d.isArray() && !d.isEmpty()) {
                    out.println("Deleted build cache objects:");
                    d.forEach(x -> out.println(x.asString()));
                    out.println();
                }
                total += b.path("SpaceReclaimed").asLong();
            } catch (dev.berth.common.BerthException ignored) {
                // an engine without a build cache endpoint: nothing to prune there
            }
            out.println("Total reclaimed space: " + Fmt.humanSize4(total));
            return 0;
        }
    }
}
