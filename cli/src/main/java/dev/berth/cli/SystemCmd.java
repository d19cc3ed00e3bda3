package dev.berth.cli;

import picocli.CommandLine.Command;
import tools.jackson.databind.JsonNode;

/** {@code berth system}: info, df, events. */
@Command(name = "system", description = "Manage Berth", subcommands = {InfoCmd.class, EventsCmd.class, SystemCmd.Df.class, Prune.SystemPrune.class})
final class SystemCmd implements Runnable {
    @Override
    public void run() {
        picocli.CommandLine.usage(this, System.out);
    }

    /** {@code berth system df}: disk usage summary. */
    @Command(name = "df", description = "Show docker disk usage")
    static final class Df extends BaseCommand {
        @Override
        public Integer call() {
            JsonNode df = client().system().df();
            Table t = new Table().line("TYPE\tTOTAL\tACTIVE\tSIZE\tRECLAIMABLE");
            // Images: as docker's formatter: size is LayersSize; used = Size - SharedSize of images in use.
            int total = 0;
            int active = 0;
            long used = 0;
            for (JsonNode i : df.path("Images")) {
                total++;
                if (i.path("Containers").asLong() > 0) {
                    active++;
                }
                if (i.path("Containers").asLong() != 0 && i.path("Size").asLong() != -1 && i.path("SharedSize").asLong() != -1) {
                    used += i.path("Size").asLong() - i.path("SharedSize").asLong();
                }
            }
            long layers = df.path("LayersSize").asLong();
            t.row("Images", String.valueOf(total), String.valueOf(active), Fmt.humanSize4(layers), reclaimable(layers - used, layers));
            total = 0;
            active = 0;
            long size = 0;
            long reclaim = 0;
            for (JsonNode c : df.path("Containers")) {
                total++;
                String state = c.path("State").asString("");
                boolean act = state.contains("running") || state.equals("paused") || state.equals("restarting");
                active += act ? 1 : 0;
                size += c.path("SizeRw").asLong();
                reclaim += act ? 0 : c.path("SizeRw").asLong();
            }
            t.row("Containers", String.valueOf(total), String.valueOf(active), Fmt.humanSize4(size), reclaimable(reclaim, size));
            total = 0;
            active = 0;
            size = 0;
            reclaim = 0;
            for (JsonNode v : df.path("Volumes")) {
                total++;
                JsonNode u = v.path("UsageData");
                boolean act = u.path("RefCount").asLong() > 0;
                active += act ? 1 : 0;
                long sz = u.path("Size").asLong(-1);
                if (sz != -1) {
                    size += sz;
                    reclaim += act ? 0 : sz;
                }
            }
            t.row("Local Volumes", String.valueOf(total), String.valueOf(active), Fmt.humanSize4(size), reclaimable(reclaim, size));
            total = 0;
            active = 0;
            size = 0;
            reclaim = 0;
            for (JsonNode b : df.path("BuildCache")) {
                total++;
                boolean act = b.path("InUse").asBoolean();
                active += act ? 1 : 0;
                if (!b.path("Shared").asBoolean()) {
                    size += b.path("Size").asLong();
                    reclaim += act ? 0 : b.path("Size").asLong();
                }
            }
            t.row("Build Cache", String.valueOf(total), String.valueOf(active), Fmt.humanSize4(size), Fmt.humanSize4(reclaim));
            t.print(out);
            return 0;
        }

        private static String reclaimable(long reclaim, long total) {
            return total > 0 ? Fmt.humanSize4(reclaim) + " (" + (long) (reclaim * 100.0 / total) + "%)" : Fmt.humanSize4(reclaim);
        }
    }
}
