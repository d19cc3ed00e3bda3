package dev.berth.cli;

import picocli.CommandLine.Command;

/** {@code berth system}: info, df, events. */
@Command(name = "system", description = "Manage Berth", subcommands = {InfoCmd.class, EventsCmd.class, SystemCmd.Df.class})
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
            var df = client().system().df();
            Table t = new Table().line("TYPE\tTOTAL\tACTIVE\tSIZE\tRECLAIMABLE");
            row(t, "Images", df.get("Images"), "Containers", "Size");
            row(t, "Containers", df.get("Containers"), "State", "SizeRw");
            row(t, "Local Volumes", df.get("Volumes"), null, null);
            t.line("Build Cache\t0\t0\t0B\t0B");
            t.print(out);
            return 0;
        }

        private static void row(Table t, String type, tools.jackson.databind.JsonNode arr, String activeField, String sizeField) {
            int total = 0;
            int active = 0;
            long size = 0;
            long reclaim = 0;
            if (arr != null && arr.isArray()) {
                for (var n : arr) {
                    total++;
                    boolean act;
                    long s;
                    if (type.equals("Local Volumes")) {
                        var u = n.get("UsageData");
                        act = u != null && u.path("RefCount").asLong() > 0;
                        s = u == null ? 0 : Math.max(0, u.path("Size").asLong());
                    } else if (type.equals("Images")) {
                        act = n.path(activeField).asLong() > 0;
                        s = n.path(sizeField).asLong();
                    } else {
                        act = "running".equals(n.path(activeField).asString(""));
                        s = n.path(sizeField).asLong();
                    }
                    active += act ? 1 : 0;
                    size += s;
                    reclaim += act ? 0 : s;
                }
            }
            String pct = size == 0 ? "" : " (" + Math.round(100.0 * reclaim / size) + "%)";
            t.row(type, String.valueOf(total), String.valueOf(active), Fmt.humanSize(size), Fmt.humanSize(reclaim) + pct);
        }
    }
}
