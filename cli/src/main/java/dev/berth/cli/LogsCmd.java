package dev.berth.cli;

import dev.berth.api.model.ContainerInspect;
import dev.berth.client.ContainersApi;
import dev.berth.client.HttpResponse;
import dev.berth.client.StdFrames;
import java.io.IOException;
import java.io.InputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth logs}: fetches (and follows) a container's output. */
@Command(name = "logs", description = "Fetch the logs of a container")
final class LogsCmd extends BaseCommand {
    @Option(names = {"-f", "--follow"}) boolean follow;
    @Option(names = {"-t", "--timestamps"}) boolean timestamps;
    @Option(names = {"-n", "--tail"}) String tail;
    @Option(names = "--since") String since;
    @Option(names = "--until") String until;
    @Option(names = "--details") boolean details;
    @Parameters(index = "0", paramLabel = "CONTAINER") String id;

    @Override
    public Integer call() throws IOException {
        ContainerInspect c = client().containers().inspect(id);
        boolean tty = c.config() != null && c.config().tty();
        var opts = new ContainersApi.LogOptions(true, true, follow, timestamps, details,
                tail == null || tail.equals("all") ? null : tail, Times.toUnix(since), Times.toUnix(until));
        try (HttpResponse r = client().containers().logs(c.id(), opts)) {
            if (tty) {
                InputStream in = r.body();
                byte[] buf = new byte[32 * 1024];
                int n;
                while ((n = in.read(buf)) > 0) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            } else {
                StdFrames.demux(r.body(), out, err);
            }
        }
        return 0;
    }
}
