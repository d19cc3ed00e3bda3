package dev.berth.compose.engine;

import dev.berth.api.model.ContainerSummary;
import dev.berth.client.BerthClient;
import dev.berth.client.ContainersApi;
import dev.berth.client.HttpResponse;
import dev.berth.client.StdFrames;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints the logs of several containers interleaved line by line, each line prefixed with the
 * container name padded to a common width and (when colour is on) coloured per service like
 * Docker Compose. One virtual thread per container; lines are written whole under a lock.
 */
public final class LogPrinter {
    private static final int[] COLORS = {36, 33, 32, 35, 34, 96, 93, 92, 95, 94};
    private final BerthClient client;
    private final PrintStream out;

    public LogPrinter(BerthClient client, PrintStream out) {
        this.client = client;
        this.out = out;
    }

    /** @param announceExit print "name exited with code N" when a followed container ends (attached up) */
    public record Options(boolean follow, String tail, boolean timestamps, boolean color, boolean prefix, String since, String until,
                          boolean announceExit) {
        public Options(boolean follow, String tail, boolean timestamps, boolean color, boolean prefix, String since, String until) {
            this(follow, tail, timestamps, color, prefix, since, until, false);
        }
    }

    public void print(List<ContainerSummary> containers, Options o) {
        int width = containers.stream().mapToInt(c -> ProjectContainers.name(c).length()).max().orElse(0);
        List<String> services = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (ContainerSummary c : containers) {
            String svc = String.valueOf(ProjectContainers.label(c, Labels.SERVICE));
            if (!services.contains(svc)) {
                services.add(svc);
            }
            int color = COLORS[services.indexOf(svc) % COLORS.length];
            String name = ProjectContainers.name(c);
            String pad = name + " ".repeat(width - name.length()) + "  | ";
            String prefix = !o.prefix() ? "" : o.color() ? "\u001b[" + color + "m" + pad + "\u001b[0m" : pad;
            threads.add(Thread.ofVirtual().start(() -> stream(c, prefix, o)));
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void stream(ContainerSummary c, String prefix, Options o) {
        var opts = new ContainersApi.LogOptions(true, true, o.follow(), o.timestamps(), false, o.tail(), o.since(), o.until());
        try (HttpResponse r = client.containers().logs(c.id(), opts)) {
            LineSink sink = new LineSink(prefix);
            var cfg = client.containers().inspect(c.id()).config();
            boolean tty = cfg != null && cfg.tty();
            if (tty) {
                r.body().transferTo(sink);
            } else {
                StdFrames.demux(r.body(), sink, sink);
            }
            sink.flushRest();
            if (o.announceExit()) {
                int code = client.containers().inspect(c.id()).state().exitCode();
                synchronized (out) {
                    out.println(ProjectContainers.name(c) + " exited with code " + code);
                    out.flush();
                }
            }
        } catch (IOException | RuntimeException e) {
            synchronized (out) {
                out.println(prefix + "error reading logs: " + e.getMessage());
            }
        }
    }

    /** Buffers bytes until newline, then prints the prefixed line atomically. */
    private final class LineSink extends OutputStream {
        private final String prefix;
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

        LineSink(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                emit();
            } else {
                buf.write(b);
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }

        void flushRest() {
            if (buf.size() > 0) {
                emit();
            }
        }

        private void emit() {
            String line = buf.toString(StandardCharsets.UTF_8);
            buf.reset();
            synchronized (out) {
                out.println(prefix + line);
                out.flush();
            }
        }
    }
}
