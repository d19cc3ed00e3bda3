package dev.berth.cli;

import dev.berth.api.model.ContainerSummary;
import dev.berth.api.model.MountPoint;
import dev.berth.api.model.SystemVersion;
import dev.berth.client.BerthClient;
import dev.berth.client.Query;
import dev.berth.common.BerthException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the most frequent simple invocations ({@code berth version}, {@code berth ps [-a] [-q]
 * [--no-trunc]}) without picocli and without Jackson: building picocli's command model by
 * reflection and initialising Jackson cost more than the rest of such a command. The replies are decoded with {@link MiniJson} into the same records and printed by
 * the same code as the regular commands. Anything else returns null and goes through picocli.
 */
final class FastPath {
    private FastPath() {}

    /** The exit code if handled here, else null. */
    static Integer tryRun(String[] args) {
        if (args.length == 0) {
            return null;
        }
        try {
            if (args.length == 1 && args[0].equals("version")) {
                Launcher.ensureDefaultEngine(null, System.getenv());
                BerthClient client = BerthClient.connect(null);
                SystemVersion v = null;
                BerthException failure = null;
                try {
                    v = version(get(client, "/version", null));
                } catch (BerthException e) {
                    failure = e;
                }
                return VersionCmd.print(v, failure, v == null ? BerthClient.MAX_API_VERSION : client.apiVersion(), null, System.out);
            }
            if (args[0].equals("ps")) {
                boolean all = false;
                boolean quiet = false;
                boolean noTrunc = false;
                for (int i = 1; i < args.length; i++) {
                    switch (args[i]) {
                        case "-a", "--all" -> all = true;
                        case "-q", "--quiet" -> quiet = true;
                        case "-aq", "-qa" -> {
                            all = true;
                            quiet = true;
                        }
                        case "--no-trunc" -> noTrunc = true;
                        default -> {
                            return null;
                        }
                    }
                }
                Launcher.ensureDefaultEngine(null, System.getenv());
                BerthClient client = BerthClient.connect(null);
                Object list = get(client, "/containers/json", Query.of().add("all", all));
                List<ContainerSummary> rows = new ArrayList<>();
                for (Object o : (List<?>) list) {
                    rows.add(summary((Map<?, ?>) o));
                }
                return PsCmd.print(rows, System.out, quiet, noTrunc, false, null);
            }
        } catch (BerthException e) {
            System.err.println(Main.describe(e));
            return 1;
        } catch (RuntimeException e) {
            return null; // unexpected reply shape: let the regular path handle (and report) it
        }
        return null;
    }

    private static Object get(BerthClient client, String path, Query q) {
        return MiniJson.parse(new String(client.getBytes(path, q), StandardCharsets.UTF_8));
    }

    private static String str(Map<?, ?> m, String k) {
        Object v = m.get(k);
        return v == null ? null : String.valueOf(v);
    }

    private static long num(Map<?, ?> m, String k) {
        return m.get(k) instanceof Number n ? n.longValue() : 0;
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object o) {
        return (T) o;
    }

    static SystemVersion version(Object json) {
        Map<?, ?> m = (Map<?, ?>) json;
        List<SystemVersion.Component> comps = new ArrayList<>();
        if (m.get("Components") instanceof List<?> l) {
            for (Object o : l) {
                Map<?, ?> c = (Map<?, ?>) o;
                Map<String, String> details = new LinkedHashMap<>();
                if (c.get("Details") instanceof Map<?, ?> d) {
                    d.forEach((k, v) -> details.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
                }
                comps.add(new SystemVersion.Component(str(c, "Name"), str(c, "Version"), details));
            }
        }
        Map<String, String> platform = m.get("Platform") instanceof Map<?, ?> p ? cast(p) : null;
        return new SystemVersion(platform, comps, str(m, "Version"), str(m, "ApiVersion"), str(m, "MinAPIVersion"),
                str(m, "GitCommit"), str(m, "GoVersion"), str(m, "Os"), str(m, "Arch"), str(m, "KernelVersion"),
                str(m, "BuildTime"));
    }

    static ContainerSummary summary(Map<?, ?> m) {
        List<String> names = m.get("Names") instanceof List<?> l ? cast(l) : List.of();
        List<ContainerSummary.Port> ports = new ArrayList<>();
        if (m.get("Ports") instanceof List<?> l) {
            for (Object o : l) {
                Map<?, ?> p = (Map<?, ?>) o;
                ports.add(new ContainerSummary.Port(str(p, "IP"), (int) num(p, "PrivatePort"),
                        p.get("PublicPort") == null ? null : (int) num(p, "PublicPort"), str(p, "Type")));
            }
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (m.get("Labels") instanceof Map<?, ?> lm) {
            lm.forEach((k, v) -> labels.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
        }
        List<MountPoint> mounts = new ArrayList<>();
        if (m.get("Mounts") instanceof List<?> l) {
            for (Object o : l) {
                Map<?, ?> x = (Map<?, ?>) o;
                mounts.add(new MountPoint(str(x, "Type"), str(x, "Name"), str(x, "Source"), str(x, "Destination"),
                        str(x, "Driver"), str(x, "Mode"), Boolean.TRUE.equals(x.get("RW")), str(x, "Propagation")));
            }
        }
        ContainerSummary.SummaryNetworkSettings nets = null;
        if (m.get("NetworkSettings") instanceof Map<?, ?> ns && ns.get("Networks") instanceof Map<?, ?> nm) {
            Map<String, dev.berth.api.model.NetworkingConfig.EndpointSettings> byName = new LinkedHashMap<>();
            nm.keySet().forEach(k -> byName.put(String.valueOf(k), null));
            nets = new ContainerSummary.SummaryNetworkSettings(byName);
        }
        return new ContainerSummary(str(m, "Id"), names, str(m, "Image"), str(m, "ImageID"), str(m, "Command"),
                num(m, "Created"), ports, m.get("SizeRw") == null ? null : num(m, "SizeRw"),
                m.get("SizeRootFs") == null ? null : num(m, "SizeRootFs"), labels, str(m, "State"), str(m, "Status"),
                null, nets, mounts);
    }
}
