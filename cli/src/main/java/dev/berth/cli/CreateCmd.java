package dev.berth.cli;

import dev.berth.api.model.IdResponse;
import dev.berth.api.model.JsonMessage;
import dev.berth.client.BerthClient;
import dev.berth.client.EngineException;
import dev.berth.common.ErrorKind;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import tools.jackson.databind.node.ObjectNode;

/** {@code berth create}: creates a container without starting it; prints its id. */
@Command(name = "create", description = "Create a new container")
final class CreateCmd extends BaseCommand {
    @Mixin
    RunOptions o;

    @Override
    public Integer call() throws Exception {
        String id = create(client(), o, false, err);
        out.println(id);
        return 0;
    }

    /**
     * Creates the container, pulling the image when the engine does not have it (printing
     * "Unable to find image" as docker does) or when {@code --pull always}.
     */
    static String create(BerthClient client, RunOptions o, boolean attach, PrintStream err) throws Exception {
        ObjectNode body = SpecBuilder.build(o, attach, System.getenv());
        if ("always".equals(o.pull)) {
            pull(client, o, err);
        }
        IdResponse r;
        try {
            r = client.containers().create(o.name, o.platform, body);
        } catch (EngineException e) {
            if (e.kind() != ErrorKind.NOT_FOUND || "never".equals(o.pull) || !e.getMessage().toLowerCase().contains("image")) {
                throw e;
            }
            err.println("Unable to find image '" + ImageRef.parse(o.image).familiar() + "' locally");
            pull(client, o, err);
            r = client.containers().create(o.name, o.platform, body);
        }
        if (r.warnings() != null) {
            r.warnings().forEach(w -> err.println("WARNING: " + w));
        }
        if (o.cidfile != null) {
            Files.writeString(Path.of(o.cidfile), r.id());
        }
        return r.id();
    }

    static void pull(BerthClient client, RunOptions o, PrintStream err) {
        ImageRef ref = ImageRef.parse(o.image);
        Progress p = Progress.forStdout(err);
        client.images().pull(ref.repository(), ref.tag(), o.platform, new Auth().headerFor(ref.repository()), m -> {
            if (!o.quiet) {
                p.accept(m);
            }
        });
    }

    static void printProgress(JsonMessage m, PrintStream ps) {
        if (m.stream() != null) {
            ps.print(m.stream());
        } else if (m.status() != null) {
            ps.println((m.id() != null ? m.id() + ": " : "") + m.status() + (m.progress() != null ? " " + m.progress() : ""));
        }
        ps.flush();
    }
}
