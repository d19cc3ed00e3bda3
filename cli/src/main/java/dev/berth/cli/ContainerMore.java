package dev.berth.cli;

import dev.berth.api.model.ContainerInspect;
import dev.berth.client.Hijacked;
import dev.berth.client.HttpResponse;
import dev.berth.client.WaitHandle;
import dev.berth.common.BerthException;
import dev.berth.common.Json;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Container commands: attach, diff, commit, export, update. */
final class ContainerMore {
    private ContainerMore() {}

    @Command(name = "attach", description = "Attach local standard input, output, and error streams to a running container")
    static final class AttachCmd extends BaseCommand {
        @Option(names = "--no-stdin") boolean noStdin;
        @Option(names = "--sig-proxy", defaultValue = "true", arity = "0..1") boolean sigProxy;
        @Option(names = "--detach-keys") String detachKeys;
        @Parameters(index = "0", paramLabel = "CONTAINER") String id;

        @Override
        public Integer call() {
            ContainerInspect c = client().containers().inspect(id);
            if (c.state() == null || !c.state().running()) {
                throw BerthException.invalid("You cannot attach to a stopped container, start it first");
            }
            if (c.state().paused()) {
                throw BerthException.invalid("You cannot attach to a paused container, unpause it first");
            }
            boolean tty = c.config() != null && c.config().tty();
            boolean stdin = !noStdin && c.config() != null && c.config().openStdin();
            if (stdin && tty && !Terminal.isTerminal()) {
                err.println("the input device is not a TTY");
                return 1;
            }
            String cid = c.id();
            Hijacked h = client().containers().attach(cid, stdin, true, true, tty, detachKeys);
            WaitHandle w = client().containers().startWait(cid, "next-exit");
            Terminal term = new Terminal();
            boolean detached;
            try {
                if (sigProxy && !tty) {
                    SignalProxy.install(client(), cid);
                }
                if (tty && Terminal.isTerminal()) {
                    Terminal.resizeAndWatch(size -> client().containers().resize(cid, size[0], size[1]));
                    if (stdin) {
                        term.makeRaw();
                    }
                }
                detached = AttachIO.pump(h, stdin, tty ? AttachIO.detachSequence(detachKeys) : null, out, err);
            } finally {
                term.restore();
                h.close();
            }
            if (detached) {
                w.close();
                return 0;
            }
            return (int) w.result().statusCode();
        }
    }

    @Command(name = "diff", description = "Inspect changes to files or directories on a container's filesystem")
    static final class DiffCmd extends BaseCommand {
        @Parameters(index = "0", paramLabel = "CONTAINER") String id;

        @Override
        public Integer call() {
            JsonNode changes = client().containers().changes(id);
            if (changes != null && changes.isArray()) {
                for (JsonNode ch : changes) {
                    int kind = ch.get("Kind").asInt();
                    out.println((kind == 0 ? "C" : kind == 1 ? "A" : "D") + " " + ch.get("Path").asString());
                }
            }
            return 0;
        }
    }

    @Command(name = "commit", description = "Create a new image from a container's changes")
    static final class CommitCmd extends BaseCommand {
        @Option(names = {"-a", "--author"}) String author;
        @Option(names = {"-c", "--change"}) List<String> changes = new ArrayList<>();
        @Option(names = {"-m", "--message"}) String message;
        @Option(names = {"-p", "--pause"}, defaultValue = "true", arity = "0..1") boolean pause;
        @Parameters(index = "0", paramLabel = "CONTAINER") String container;
        @Parameters(index = "1", arity = "0..1", paramLabel = "REPOSITORY[:TAG]") String reference;

        @Override
        public Integer call() {
            String repo = null;
            String tag = null;
            if (reference != null) {
                ImageRef ref = ImageRef.parse(reference);
                repo = ref.repository();
                tag = ref.tag();
            }
            out.println(client().containers().commit(container, repo, tag, message, author, pause, changes, null).id());
            return 0;
        }
    }

    @Command(name = "export", description = "Export a container's filesystem as a tar archive")
    static final class ExportCmd extends BaseCommand {
        @Option(names = {"-o", "--output"}) String output;
        @Parameters(index = "0", paramLabel = "CONTAINER") String id;

        @Override
        public Integer call() throws IOException {
            if (output == null && Terminal.isTerminal()) {
                err.println("cowardly refusing to save to a terminal. Use the -o flag or redirect");
                return 1;
            }
            try (HttpResponse r = client().containers().export(id);
                 OutputStream o = output == null ? out : new FileOutputStream(output)) {
                r.body().transferTo(o);
                o.flush();
            }
            return 0;
        }
    }

    @Command(name = "update", description = "Update configuration of one or more containers")
    static final class UpdateCmd extends BaseCommand {
        @Option(names = "--blkio-weight") Integer blkioWeight;
        @Option(names = "--cpu-period") Long cpuPeriod;
        @Option(names = "--cpu-quota") Long cpuQuota;
        @Option(names = {"-c", "--cpu-shares"}) Long cpuShares;
        @Option(names = "--cpus") String cpus;
        @Option(names = "--cpuset-cpus") String cpusetCpus;
        @Option(names = "--cpuset-mems") String cpusetMems;
        @Option(names = {"-m", "--memory"}) String memory;
        @Option(names = "--memory-reservation") String memoryReservation;
        @Option(names = "--memory-swap") String memorySwap;
        @Option(names = "--pids-limit") Long pidsLimit;
        @Option(names = "--restart") String restart;
        @Parameters(arity = "1..*", paramLabel = "CONTAINER") List<String> ids;

        @Override
        public Integer call() {
            ObjectNode b = Json.mapper().createObjectNode();
            if (blkioWeight != null) {
                b.put("BlkioWeight", blkioWeight);
            }
            if (cpuPeriod != null) {
                b.put("CpuPeriod", cpuPeriod);
            }
            if (cpuQuota != null) {
                b.put("CpuQuota", cpuQuota);
            }
            if (cpuShares != null) {
                b.put("CpuShares", cpuShares);
            }
            if (cpus != null) {
                b.put("NanoCpus", Math.round(Double.parseDouble(cpus) * 1e9));
            }
            if (cpusetCpus != null) {
                b.put("CpusetCpus", cpusetCpus);
            }
            if (cpusetMems != null) {
                b.put("CpusetMems", cpusetMems);
            }
            if (memory != null) {
                b.put("Memory", Units.ramInBytes(memory));
            }
            if (memoryReservation != null) {
                b.put("MemoryReservation", Units.ramInBytes(memoryReservation));
            }
            if (memorySwap != null) {
                b.put("MemorySwap", memorySwap.equals("-1") ? -1 : Units.ramInBytes(memorySwap));
            }
            if (pidsLimit != null) {
                b.put("PidsLimit", pidsLimit);
            }
            if (restart != null) {
                ObjectNode p = b.putObject("RestartPolicy");
                String[] parts = restart.split(":", 2);
                p.put("Name", parts[0]);
                if (parts.length > 1) {
                    p.put("MaximumRetryCount", Integer.parseInt(parts[1]));
                }
            }
            return forEach(ids, id -> {
                JsonNode r = client().containers().update(id, b);
                JsonNode w = r == null ? null : r.get("Warnings");
                if (w != null && w.isArray()) {
                    w.forEach(x -> err.println(x.asString()));
                }
                out.println(id);
            });
        }
    }
}
