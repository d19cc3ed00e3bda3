package dev.berth.cli;

import dev.berth.api.model.SystemVersion;
import dev.berth.client.BerthClient;
import dev.berth.common.BerthException;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth version}: client and server versions, as {@code docker version} prints them. */
@Command(name = "version", description = "Show the Berth version information")
final class VersionCmd extends BaseCommand {
    static final String CLIENT_VERSION = "0.1.0";

    @Option(names = {"-f", "--format"}, description = "Format output using a Go template")
    String format;

    @Override
    public Integer call() {
        return print(client(), format, out);
    }

    /** Fetches and prints the version report. */
    static int print(BerthClient client, String format, java.io.PrintStream out) {
        SystemVersion v = null;
        BerthException failure = null;
        try {
            v = client.system().version();
        } catch (BerthException e) {
            failure = e;
        }
        return print(v, failure, v == null ? BerthClient.MAX_API_VERSION : client.apiVersion(), format, out);
    }

    /** Prints the report for {@code v} (null when the engine failed with {@code failure}); shared with {@link FastPath}. */
    static int print(SystemVersion v, BerthException failure, String apiVersion, String format, java.io.PrintStream out) {
        String os = "linux/" + (System.getProperty("os.arch").equals("amd64") ? "amd64" : System.getProperty("os.arch"));
        if (format != null) {
            Map<String, Object> ctx = new LinkedHashMap<>();
            ctx.put("Client", Map.of("Version", CLIENT_VERSION, "ApiVersion", BerthClient.MAX_API_VERSION, "Os", "linux",
                    "Arch", os.substring(6)));
            ctx.put("Server", v);
            out.println(new Template(format).render(ctx));
        } else {
            StringBuilder sb = new StringBuilder();
            sb.append("Client:\n");
            line(sb, " ", "Version:", CLIENT_VERSION);
            line(sb, " ", "API version:", apiVersion);
            line(sb, " ", "Java version:", Runtime.version().toString());
            line(sb, " ", "OS/Arch:", os);
            line(sb, " ", "Context:", "default");
            if (v != null) {
                sb.append("\nServer:\n");
                sb.append(" Engine:\n");
                line(sb, "  ", "Version:", v.version());
                line(sb, "  ", "API version:", v.apiVersion() + " (minimum version " + v.minApiVersion() + ")");
                if (v.goVersion() != null) {
                    line(sb, "  ", "Go version:", v.goVersion());
                }
                line(sb, "  ", "Git commit:", v.gitCommit());
                line(sb, "  ", "Built:", v.buildTime());
                line(sb, "  ", "OS/Arch:", v.os() + "/" + v.arch());
                line(sb, "  ", "Experimental:", "false");
                if (v.components() != null) {
                    for (SystemVersion.Component c : v.components()) {
                        if (c.name().equals("Engine")) {
                            continue;
                        }
                        sb.append(" ").append(c.name()).append(":\n");
                        line(sb, "  ", "Version:", c.version());
                        if (c.details() != null && c.details().get("GitCommit") != null) {
                            line(sb, "  ", "GitCommit:", c.details().get("GitCommit"));
                        }
                    }
                }
            }
            out.print(sb);
        }
        if (failure != null) {
            throw failure;
        }
        return 0;
    }

    private static void line(StringBuilder sb, String indent, String key, String value) {
        String k = indent + key;
        sb.append(k).append(" ".repeat(Math.max(1, 20 - k.length()))).append(value == null ? "" : value).append('\n');
    }
}
