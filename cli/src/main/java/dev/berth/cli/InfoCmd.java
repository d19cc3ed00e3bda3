package dev.berth.cli;

import dev.berth.api.model.SystemInfo;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth info}: the short system-wide summary. */
@Command(name = "info", description = "Display system-wide information")
final class InfoCmd extends BaseCommand {
    @Option(names = {"-f", "--format"}, description = "Format output using a Go template")
    String format;

    @Override
    public Integer call() {
        SystemInfo i = client().system().info();
        if (format != null) {
            out.println(new Template(format).render(i));
            return 0;
        }
        StringBuilder sb = new StringBuilder();
        sb.append("Client:\n Version:    ").append(VersionCmd.CLIENT_VERSION).append("\n Context:    default\n Debug Mode: ")
                .append(root().debug).append("\n\nServer:\n");
        kv(sb, " Containers", i.containers());
        kv(sb, "  Running", i.containersRunning());
        kv(sb, "  Paused", i.containersPaused());
        kv(sb, "  Stopped", i.containersStopped());
        kv(sb, " Images", i.images());
        kv(sb, " Server Version", i.serverVersion());
        kv(sb, " Storage Driver", i.driver());
        kv(sb, " Logging Driver", i.loggingDriver());
        kv(sb, " Cgroup Driver", i.cgroupDriver());
        kv(sb, " Cgroup Version", i.cgroupVersion());
        kv(sb, " Default Runtime", i.defaultRuntime());
        kv(sb, " Kernel Version", i.kernelVersion());
        kv(sb, " Operating System", i.operatingSystem());
        kv(sb, " OSType", i.osType());
        kv(sb, " Architecture", i.architecture());
        kv(sb, " CPUs", i.ncpu());
        kv(sb, " Total Memory", String.format(Locale.ROOT, "%.2fGiB", i.memTotal() / 1024.0 / 1024 / 1024));
        kv(sb, " Name", i.name());
        kv(sb, " ID", i.id());
        kv(sb, " Docker Root Dir", i.dockerRootDir());
        kv(sb, " Debug Mode", i.debug());
        kv(sb, " Experimental", i.experimentalBuild());
        kv(sb, " Live Restore Enabled", i.liveRestoreEnabled());
        out.print(sb);
        if (i.warnings() != null) {
            i.warnings().forEach(err::println);
        }
        return 0;
    }

    private static void kv(StringBuilder sb, String k, Object v) {
        sb.append(k).append(": ").append(v == null ? "" : v).append('\n');
    }
}
