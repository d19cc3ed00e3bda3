package dev.berth.cli;

import dev.berth.api.model.ContainerSummary;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth ps}: lists containers in docker's table or a {@code --format} template. */
@Command(name = "ps", description = "List containers")
final class PsCmd extends BaseCommand {
    static final String DEFAULT_FORMAT =
            "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}";
    static final DateTimeFormatter CREATED_AT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z z").withZone(ZoneId.systemDefault());

    @Option(names = {"-a", "--all"}, description = "Show all containers (default shows just running)")
    boolean all;

    @Option(names = {"-q", "--quiet"}, description = "Only display container IDs")
    boolean quiet;

    @Option(names = "--no-trunc", description = "Don't truncate output")
    boolean noTrunc;

    @Option(names = {"-n", "--last"}, defaultValue = "-1", description = "Show n last created containers (includes all states)")
    int last;

    @Option(names = {"-l", "--latest"}, description = "Show the latest created container (includes all states)")
    boolean latest;

    @Option(names = {"-s", "--size"}, description = "Display total file sizes")
    boolean size;

    @Option(names = {"-f", "--filter"}, description = "Filter output based on conditions provided")
    List<String> filters = new ArrayList<>();

    @Option(names = "--format", description = "Format output using a custom template")
    String format;

    @Override
    public Integer call() {
        return list(client(), out, all, quiet, noTrunc, last, latest, size, filters, format);
    }

    /** Lists containers; shared with {@link FastPath}. */
    static int list(dev.berth.client.BerthClient client, java.io.PrintStream out, boolean all, boolean quiet,
                    boolean noTrunc, int last, boolean latest, boolean size, List<String> filters, String format) {
        Integer limit = latest ? Integer.valueOf(1) : last > 0 ? Integer.valueOf(last) : null;
        boolean wantSize = size || (format != null && (format.contains(".Size") || format.contains("json .}}")));
        List<ContainerSummary> list = client.containers().list(all || limit != null, limit, wantSize,
                EventsCmd.parseFilters(filters));
        return print(list, out, quiet, noTrunc, size, format);
    }

    /** Prints containers as docker does; shared with {@link FastPath}. */
    static int print(List<ContainerSummary> list, java.io.PrintStream out, boolean quiet, boolean noTrunc, boolean size,
                     String format) {
        String fmt = format;
        if (quiet && fmt == null) {
            fmt = "{{.ID}}";
        } else if (fmt == null || fmt.equals("table")) {
            fmt = size ? DEFAULT_FORMAT + "\t{{.Size}}" : DEFAULT_FORMAT;
        } else if (fmt.equals("json")) {
            fmt = "{{json .}}";
        }
        boolean table = Template.isTable(fmt);
        Template tpl = new Template(table ? Template.stripTable(fmt) : fmt);
        List<String> lines = new ArrayList<>();
        for (ContainerSummary c : list) {
            lines.add(tpl.render(context(c, noTrunc)));
        }
        if (table) {
            Table t = new Table();
            t.line(header(Template.stripTable(fmt)));
            lines.forEach(t::line);
            t.print(out);
        } else {
            StringBuilder sb = new StringBuilder();
            lines.forEach(l -> sb.append(l).append('\n'));
            out.print(sb);
        }
        return 0;
    }

    /** The header row: each {@code {{.Field}}} replaced by docker's column title. */
    static String header(String fmt) {
        Map<String, String> titles = Map.ofEntries(
                Map.entry("ID", "CONTAINER ID"), Map.entry("Image", "IMAGE"), Map.entry("Command", "COMMAND"),
                Map.entry("RunningFor", "CREATED"), Map.entry("CreatedAt", "CREATED AT"), Map.entry("Status", "STATUS"),
                Map.entry("Ports", "PORTS"), Map.entry("Names", "NAMES"), Map.entry("Size", "SIZE"),
                Map.entry("State", "STATE"), Map.entry("Labels", "LABELS"), Map.entry("Mounts", "MOUNTS"),
                Map.entry("Networks", "NETWORKS"), Map.entry("LocalVolumes", "LOCAL VOLUMES"));
        String f = fmt.replace("\\t", "\t");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{\\{\\s*(?:json\\s+)?\\.(\\w+)\\s*}}").matcher(f);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, java.util.regex.Matcher.quoteReplacement(titles.getOrDefault(m.group(1), m.group(1).toUpperCase())));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** The per-row fields docker's container formatter exposes. */
    static Map<String, Object> context(ContainerSummary c, boolean noTrunc) {
        Map<String, Object> m = new TreeMap<>();
        String command = c.command() == null ? "" : c.command();
        m.put("Command", Fmt.quote(noTrunc ? command : Fmt.ellipsis(command, 20)));
        m.put("CreatedAt", CREATED_AT.format(Instant.ofEpochSecond(c.created())));
        m.put("ID", noTrunc ? c.id() : Fmt.shortId(c.id()));
        String image = c.image() == null ? "" : c.image();
        if (!noTrunc && image.startsWith("sha256:")) {
            image = Fmt.shortId(image);
        }
        m.put("Image", image);
        Map<String, String> labels = c.labels() == null ? Map.of() : new TreeMap<>(c.labels());
        List<String> kv = new ArrayList<>();
        labels.forEach((k, v) -> kv.add(k + "=" + v));
        m.put("Labels", String.join(",", kv));
        long localVolumes = c.mounts() == null ? 0 : c.mounts().stream().filter(x -> "volume".equals(x.type())).count();
        m.put("LocalVolumes", String.valueOf(localVolumes));
        List<String> mounts = new ArrayList<>();
        if (c.mounts() != null) {
            c.mounts().forEach(x -> mounts.add(x.name() != null && !x.name().isEmpty() ? (noTrunc ? x.name() : Fmt.ellipsis(x.name(), 15)) : x.source()));
        }
        m.put("Mounts", String.join(",", mounts));
        m.put("Names", Fmt.names(c.names(), noTrunc));
        List<String> nets = new ArrayList<>();
        if (c.networkSettings() != null && c.networkSettings().networks() != null) {
            nets.addAll(new TreeMap<>(c.networkSettings().networks()).keySet());
        }
        m.put("Networks", String.join(",", nets));
        m.put("Platform", null); // docker 28: the image manifest's platform, absent from this engine's summaries
        m.put("Ports", Fmt.ports(c.ports()));
        m.put("RunningFor", Fmt.ago(c.created()));
        String sz = "0B";
        if (c.sizeRw() != null || c.sizeRootFs() != null) {
            long rw = c.sizeRw() == null ? 0 : c.sizeRw();
            sz = Fmt.humanSize(rw) + " (virtual " + Fmt.humanSize(c.sizeRootFs() == null ? 0 : c.sizeRootFs()) + ")";
        }
        m.put("Size", sz);
        m.put("State", c.state());
        m.put("Status", c.status());
        return m;
    }
}
