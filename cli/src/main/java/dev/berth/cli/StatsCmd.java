package dev.berth.cli;

import dev.berth.api.model.ContainerSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code berth stats --no-stream}: one sample per container, computed as the docker CLI does. */
@Command(name = "stats", description = "Display a live stream of container(s) resource usage statistics")
final class StatsCmd extends BaseCommand {
    @Option(names = "--no-stream") boolean noStream;
    @Option(names = {"-a", "--all"}) boolean all;
    @Option(names = "--no-trunc") boolean noTrunc;
    @Option(names = "--format") String format;
    @Parameters(arity = "0..*", paramLabel = "CONTAINER") List<String> ids = new ArrayList<>();

    @Override
    public Integer call() {
        if (noStream) {
            return renderOnce(targets(), false);
        }
        // Streaming: a fresh sample per container about every second (each stream=false sample
        // spans ~1 s on the engine side), redrawn in place on a terminal as docker does.
        boolean tty = Terminal.isTerminal();
        while (true) {
            int rc = renderOnce(targets(), tty);
            if (rc != 0 && !ids.isEmpty()) {
                return rc;
            }
        }
    }

    private List<String> targets() {
        List<String> targets = new ArrayList<>(ids);
        if (targets.isEmpty()) {
            for (ContainerSummary c : client().containers().list(all, null, false, null)) {
                targets.add(c.id());
            }
        }
        return targets;
    }

    private int renderOnce(List<String> targets, boolean clear) {
        String fmt = format == null
                ? "table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}"
                : format;
        boolean table = Template.isTable(fmt);
        Template tpl = new Template(table ? Template.stripTable(fmt) : fmt);
        Table t = new Table();
        if (table) {
            t.line(Template.stripTable(fmt).replace("{{.ID}}", "CONTAINER ID")
                    .replace("{{.Container}}", "CONTAINER").replace("{{.Name}}", "NAME").replace("{{.CPUPerc}}", "CPU %")
                    .replace("{{.MemUsage}}", "MEM USAGE / LIMIT").replace("{{.MemPerc}}", "MEM %")
                    .replace("{{.NetIO}}", "NET I/O").replace("{{.BlockIO}}", "BLOCK I/O").replace("{{.PIDs}}", "PIDS"));
        }
        int rc = 0;
        // Sample all containers at once: each sample takes about a second.
        List<java.util.concurrent.Future<JsonNode>> samples = new ArrayList<>();
        try (var exec = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (String id : targets) {
                samples.add(exec.submit(() -> client().containers().stats(id, false)));
            }
        }
        if (clear) {
            out.print("\u001b[2J\u001b[H");
        }
        for (int i = 0; i < targets.size(); i++) {
            String id = targets.get(i);
            try {
                JsonNode s;
                try {
                    s = samples.get(i).get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return 1;
                }
                String line = tpl.render(context(id, s));
                if (table) {
                    t.line(line);
                } else {
                    out.println(line);
                }
            } catch (dev.berth.common.BerthException e) {
                err.println(Main.describe(e));
                rc = 1;
            }
        }
        if (table) {
            t.print(out);
        }
        out.flush();
        return rc;
    }

    private java.util.Map<String, Object> context(String given, JsonNode s) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        String id = s.path("id").asString(given);
        String name = s.path("name").asString("");
        m.put("ID", noTrunc ? id : Fmt.shortId(id));
        m.put("Container", given);
        m.put("Name", name.startsWith("/") ? name.substring(1) : name);
        JsonNode cpu = s.path("cpu_stats");
        JsonNode pre = s.path("precpu_stats");
        double cpuDelta = cpu.path("cpu_usage").path("total_usage").asDouble() - pre.path("cpu_usage").path("total_usage").asDouble();
        double sysDelta = cpu.path("system_cpu_usage").asDouble() - pre.path("system_cpu_usage").asDouble();
        int online = cpu.path("online_cpus").asInt(0);
        if (online == 0) {
            online = cpu.path("cpu_usage").path("percpu_usage").size();
        }
        double cpuPct = sysDelta > 0 && cpuDelta > 0 ? cpuDelta / sysDelta * online * 100.0 : 0;
        m.put("CPUPerc", String.format(Locale.ROOT, "%.2f%%", cpuPct));
        JsonNode mem = s.path("memory_stats");
        double usage = mem.path("usage").asDouble();
        JsonNode st = mem.path("stats");
        double cache = st.has("total_inactive_file") ? st.path("total_inactive_file").asDouble()
                : st.path("inactive_file").asDouble();
        usage = Math.max(0, usage - cache);
        double limit = mem.path("limit").asDouble();
        m.put("MemUsage", Fmt.bytesSize(usage) + " / " + Fmt.bytesSize(limit));
        m.put("MemPerc", String.format(Locale.ROOT, "%.2f%%", limit > 0 ? usage / limit * 100 : 0));
        double rx = 0;
        double tx = 0;
        for (JsonNode n : s.path("networks")) {
            rx += n.path("rx_bytes").asDouble();
            tx += n.path("tx_bytes").asDouble();
        }
        m.put("NetIO", Fmt.humanSize(rx) + " / " + Fmt.humanSize(tx));
        double read = 0;
        double write = 0;
        for (JsonNode b : s.path("blkio_stats").path("io_service_bytes_recursive")) {
            String op = b.path("op").asString("").toLowerCase(Locale.ROOT);
            if (op.equals("read")) {
                read += b.path("value").asDouble();
            } else if (op.equals("write")) {
                write += b.path("value").asDouble();
            }
        }
        m.put("BlockIO", Fmt.humanSize(read) + " / " + Fmt.humanSize(write));
        m.put("PIDs", String.valueOf(s.path("pids_stats").path("current").asLong()));
        return m;
    }
}
