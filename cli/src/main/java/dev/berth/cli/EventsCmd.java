package dev.berth.cli;

import dev.berth.api.model.Event;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth events}: streams engine events as docker prints them. */
@Command(name = "events", description = "Get real time events from the server")
final class EventsCmd extends BaseCommand {
    private static final DateTimeFormatter TS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSSXXX").withZone(ZoneId.systemDefault());

    @Option(names = "--since", description = "Show all events created since timestamp")
    String since;

    @Option(names = "--until", description = "Stream events until this timestamp")
    String until;

    @Option(names = {"-f", "--filter"}, description = "Filter output based on conditions provided")
    List<String> filters = new ArrayList<>();

    @Option(names = "--format", description = "Format the output using the given Go template")
    String format;

    @Override
    public Integer call() {
        client().system().events(Times.toUnix(since), Times.toUnix(until), parseFilters(filters), e -> {
            out.println(format != null ? new Template(format).render(e) : line(e));
            out.flush();
            return true;
        });
        return 0;
    }

    static String line(Event e) {
        StringBuilder sb = new StringBuilder();
        sb.append(TS.format(Instant.ofEpochSecond(0, e.timeNano()))).append(' ')
                .append(e.type()).append(' ').append(e.action()).append(' ')
                .append(e.actor() == null ? "" : e.actor().id());
        if (e.actor() != null && e.actor().attributes() != null && !e.actor().attributes().isEmpty()) {
            List<String> attrs = new ArrayList<>();
            new TreeMap<>(e.actor().attributes()).forEach((k, v) -> attrs.add(k + "=" + v));
            sb.append(" (").append(String.join(", ", attrs)).append(')');
        }
        return sb.toString();
    }

    /** {@code key=value} filter flags to Docker's filter map. */
    static Map<String, Set<String>> parseFilters(List<String> filters) {
        Map<String, Set<String>> m = new LinkedHashMap<>();
        for (String f : filters) {
            int eq = f.indexOf('=');
            if (eq <= 0) {
                throw dev.berth.common.BerthException.invalid("bad format of filter (expected name=value)");
            }
            m.computeIfAbsent(f.substring(0, eq).trim().toLowerCase(), k -> new LinkedHashSet<>()).add(f.substring(eq + 1));
        }
        return m;
    }
}
