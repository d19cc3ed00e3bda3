package dev.berth.cli;

import dev.berth.client.EngineException;
import dev.berth.common.ErrorKind;
import dev.berth.common.Json;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/** {@code berth inspect}: containers, then images, volumes, networks, as docker looks them up. */
@Command(name = "inspect", description = "Return low-level information on Docker objects")
final class InspectCmd extends BaseCommand {
    @Option(names = {"-f", "--format"}) String format;
    @Option(names = "--type") String type;
    @Option(names = {"-s", "--size"}) boolean size;
    @Parameters(arity = "1..*", paramLabel = "NAME|ID") List<String> names;

    @Override
    public Integer call() {
        ArrayNode all = Json.mapper().createArrayNode();
        int rc = 0;
        StringBuilder formatted = new StringBuilder();
        Template tpl = format == null ? null : new Template(format);
        for (String n : names) {
            JsonNode found = find(n);
            if (found == null) {
                err.println("Error: No such object: " + n);
                rc = 1;
                continue;
            }
            all.add(found);
            if (tpl != null) {
                formatted.append(tpl.render(found)).append('\n');
            }
        }
        if (tpl != null) {
            out.print(formatted);
        } else {
            out.println(GoJson.indent(all));
        }
        return rc;
    }

    private JsonNode find(String name) {
        for (String t : type == null ? List.of("container", "image", "volume", "network") : List.of(type)) {
            try {
                return switch (t) {
                    case "container" -> client().containers().inspectRaw(name);
                    case "image" -> client().images().inspectRaw(name);
                    case "volume" -> Json.mapper().valueToTree(client().volumes().inspect(name));
                    case "network" -> client().networks().inspectRaw(name);
                    default -> throw dev.berth.common.BerthException.invalid("\"%s\" is not a valid value for --type", t);
                };
            } catch (EngineException e) {
                if (e.kind() != ErrorKind.NOT_FOUND) {
                    throw e;
                }
            }
        }
        return null;
    }
}
