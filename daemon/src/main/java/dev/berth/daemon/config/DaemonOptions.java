package dev.berth.daemon.config;

import dev.berth.common.BerthException;
import dev.berth.common.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/**
 * berthd's command line, with dockerd's flag names, merged with the JSON configuration file
 * (dockerd's {@code daemon.json} keys) into a {@link DaemonConfig}. A setting given both as a flag
 * and in the file is an error, as in dockerd. Parsing has no side effects besides reading the
 * config file; warnings (e.g. plain TCP) are returned for the caller to log. Not thread-safe
 * (one instance per parse).
 */
@Command(name = "berthd", description = "A self-sufficient runtime for containers (Docker Engine API compatible).",
        mixinStandardHelpOptions = true, versionProvider = DaemonOptions.Version.class, sortOptions = false)
public final class DaemonOptions {
    public static final String VERSION = "0.1.0-berth";
    public static final String DEFAULT_HOST = "unix:///run/berth/berth.sock";
    public static final Path DEFAULT_CONFIG_FILE = Path.of("/etc/berth/daemon.json");

    @Option(names = {"-H", "--host"}, description = "Daemon socket(s) to connect to (unix:///path, tcp://host:port)")
    List<String> hosts;

    @Option(names = "--data-root", description = "Root directory of persistent state (default /var/lib/berth)")
    Path dataRoot;

    @Option(names = "--exec-root", description = "Root directory for execution state files (default /run/berth)")
    Path execRoot;

    @Option(names = {"-p", "--pidfile"}, description = "Path to use for daemon PID file (default <exec-root>/berthd.pid)")
    Path pidFile;

    @Option(names = "--default-runtime", description = "Default OCI runtime for containers (runc or crun)")
    String defaultRuntime;

    @Option(names = {"-l", "--log-level"}, description = "Set the logging level (debug, info, warn, error, fatal)")
    String logLevel;

    @Option(names = "--config-file", description = "Daemon configuration file (default /etc/berth/daemon.json)")
    Path configFile;

    @Option(names = "--tls", arity = "0..1", fallbackValue = "true", description = "Use TLS; implied by --tlsverify")
    Boolean tls;

    @Option(names = "--tlsverify", arity = "0..1", fallbackValue = "true", description = "Use TLS and verify the remote")
    Boolean tlsVerify;

    @Option(names = "--tlscacert", description = "Trust certs signed only by this CA")
    Path tlsCaCert;

    @Option(names = "--tlscert", description = "Path to TLS certificate file")
    Path tlsCert;

    @Option(names = "--tlskey", description = "Path to TLS key file")
    Path tlsKey;

    @Option(names = "--userns-remap", description = "User/Group setting for user namespaces")
    String usernsRemap;

    @Option(names = "--bip", description = "Specify default-bridge IP")
    String bip;

    @Option(names = "--ip", description = "Default IP when binding container ports (default 0.0.0.0)")
    String ip;

    @Option(names = "--insecure-registry", description = "Enable insecure registry communication")
    List<String> insecureRegistries;

    @Option(names = "--registry-mirror", description = "Preferred registry mirror")
    List<String> registryMirrors;

    @Option(names = "--dns", description = "DNS server to use")
    List<String> dns;

    @Option(names = {"-D", "--debug"}, arity = "0..1", fallbackValue = "true", description = "Enable debug mode")
    Boolean debug;

    @Option(names = "--cgroup-parent", description = "Set parent cgroup for all containers")
    String cgroupParent;

    @Option(names = "--iptables", arity = "0..1", fallbackValue = "true", description = "Enable addition of iptables rules (default true)")
    Boolean iptables;

    @Option(names = "--log-opt", description = "Default log driver options for containers (k=v)")
    Map<String, String> logOpts;

    @Option(names = "--log-driver", description = "Default driver for container logs (default json-file)")
    String logDriver;

    @Option(names = "--live-restore", arity = "0..1", fallbackValue = "true", description = "Enable live restore of containers (always on)")
    Boolean liveRestore;

    /** Container defaults, networking defaults, engine settings and --validate. */
    @CommandLine.Mixin
    MoreOptions more = new MoreOptions();

    /**
     * The outcome of parsing: either a config to run with, or text to print (help/version).
     * {@code validateOnly}: dockerd's {@code --validate}, print "configuration OK" and exit 0.
     */
    public record Parsed(DaemonConfig config, Path configFile, List<String> warnings, String printAndExit, boolean validateOnly) {
        public Parsed(DaemonConfig config, Path configFile, List<String> warnings, String printAndExit) {
            this(config, configFile, warnings, printAndExit, false);
        }
    }

    /** Keys dockerd accepts that Berth ignores (accepted so that an existing daemon.json loads). */
    private static final Set<String> IGNORED_FILE_KEYS = Set.of(
            "storage-opts", "builder", "log-format", "ipv6", "fixed-cidr-v6", "runtimes",
            "selinux-enabled", "ip-forward", "init-path", "containerd", "metrics-addr",
            // further dockerd keys seen in real daemon.json files; none changes what Berth does
            "userland-proxy-path", "ip6tables", "ip-forward-no-drop", "default-ipc-mode", "default-gateway", "default-gateway-v6",
            "default-network-opts", "proxies", "raw-logs", "oom-score-adjust", "api-cors-header", "authorization-plugins",
            "allow-nondistributable-artifacts", "cdi-spec-dirs", "containerd-namespace", "containerd-plugin-namespace",
            "node-generic-resources", "swarm-default-advertise-addr", "network-control-plane-mtu", "cpu-rt-period", "cpu-rt-runtime");

    /** Parses {@code args}, reads the config file and merges. INVALID_ARGUMENT with dockerd's wording on bad input. */
    public static Parsed parse(String... args) {
        DaemonOptions o = new DaemonOptions();
        CommandLine cl = new CommandLine(o);
        CommandLine.ParseResult pr;
        try {
            pr = cl.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw BerthException.invalid("%s", e.getMessage());
        }
        if (pr.isUsageHelpRequested()) {
            return new Parsed(null, null, List.of(), cl.getUsageMessage());
        }
        if (pr.isVersionHelpRequested()) {
            return new Parsed(null, null, List.of(), "Berth version " + VERSION + "\n");
        }
        Path file = o.configFile != null ? o.configFile : DEFAULT_CONFIG_FILE;
        JsonNode fileConf = readConfigFile(file, o.configFile != null);
        return o.merge(file, fileConf);
    }

    private static JsonNode readConfigFile(Path file, boolean explicit) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            if (explicit) {
                throw BerthException.invalid("unable to configure the Docker daemon with file %s: open %s: no such file or directory", file, file);
            }
            return null;
        } catch (IOException e) {
            throw BerthException.invalid("unable to configure the Docker daemon with file %s: %s", file, e.getMessage());
        }
        if (new String(bytes).isBlank()) {
            return null;
        }
        try {
            JsonNode n = Json.mapper().readTree(bytes);
            if (!n.isObject()) {
                throw BerthException.invalid("unable to configure the Docker daemon with file %s: not a JSON object", file);
            }
            return n;
        } catch (tools.jackson.core.JacksonException e) {
            throw BerthException.invalid("unable to configure the Docker daemon with file %s: %s", file, e.getOriginalMessage());
        }
    }

    private Parsed merge(Path file, JsonNode f) {
        ConfigFileReader fr = new ConfigFileReader(file, f, IGNORED_FILE_KEYS);
        fr.checkUnknownKeys();
        List<String> warnings = new ArrayList<>(fr.warnings());
        // Conflicts: every key given both ways, reported together as dockerd does.
        Map<String, Object> flags = new LinkedHashMap<>();
        flags.put("hosts", hosts);
        flags.put("data-root", dataRoot);
        flags.put("exec-root", execRoot);
        flags.put("pidfile", pidFile);
        flags.put("default-runtime", defaultRuntime);
        flags.put("log-level", logLevel);
        flags.put("log-opts", logOpts);
        flags.put("log-driver", logDriver);
        flags.put("tls", tls);
        flags.put("tlsverify", tlsVerify);
        flags.put("tlscacert", tlsCaCert);
        flags.put("tlscert", tlsCert);
        flags.put("tlskey", tlsKey);
        flags.put("userns-remap", usernsRemap);
        flags.put("bip", bip);
        flags.put("ip", ip);
        flags.put("insecure-registries", insecureRegistries);
        flags.put("registry-mirrors", registryMirrors);
        flags.put("dns", dns);
        flags.put("debug", debug);
        flags.put("cgroup-parent", cgroupParent);
        flags.put("iptables", iptables);
        flags.put("live-restore", liveRestore);
        more.addFlags(flags);
        fr.checkConflicts(flags);
        MoreOptions.Resolved extra = more.resolve(fr, warnings);

        List<String> hostList = hosts != null ? hosts : fr.strings("hosts");
        Path data = dataRoot != null ? dataRoot : fr.path("data-root", Path.of("/var/lib/berth"));
        Path exec = execRoot != null ? execRoot : fr.path("exec-root", Path.of("/run/berth"));
        Path pid = pidFile != null ? pidFile : fr.path("pidfile", exec.resolve("berthd.pid"));
        String runtime = defaultRuntime != null ? defaultRuntime : fr.string("default-runtime", null);
        boolean dbg = debug != null ? debug : fr.bool("debug", false);
        String level = logLevel != null ? logLevel : fr.string("log-level", dbg ? "debug" : "info");
        if (dbg && logLevel == null && !fr.has("log-level")) {
            level = "debug";
        }
        level = validateLevel(level);
        Boolean tlsV = tlsVerify != null ? tlsVerify : fr.boolOrNull("tlsverify");
        Boolean tlsOn = tls != null ? tls : fr.boolOrNull("tls");
        boolean verify = Boolean.TRUE.equals(tlsV);
        boolean useTls = verify || Boolean.TRUE.equals(tlsOn);
        boolean tlsExplicitlyOff = Boolean.FALSE.equals(tlsOn) && !verify;
        Path ca = tlsCaCert != null ? tlsCaCert : fr.path("tlscacert", null);
        Path cert = tlsCert != null ? tlsCert : fr.path("tlscert", null);
        Path key = tlsKey != null ? tlsKey : fr.path("tlskey", null);
        if (runtime != null && !runtime.equals("runc") && !runtime.equals("crun")) {
            throw BerthException.invalid("default runtime %s does not exist", runtime);
        }

        List<String> normalized = HostAddresses.normalize(hostList == null || hostList.isEmpty() ? List.of(DEFAULT_HOST) : hostList, useTls);
        for (String h : normalized) {
            if (h.startsWith("tcp://") && !useTls) {
                if (!tlsExplicitlyOff) {
                    throw BerthException.invalid("refusing to listen on %s without TLS: anyone who can reach this address gets root "
                            + "on this host. Configure --tlsverify --tlscacert --tlscert --tlskey, or pass --tls=false explicitly "
                            + "to accept an unencrypted, unauthenticated API", h);
                }
                warnings.add("[SECURITY WARNING] API is accessible on http://" + h.substring(6) + " without encryption and "
                        + "without authentication. Anyone who can reach this address has root access on this host. "
                        + "Use --tlsverify with certificates for remote access.");
            }
        }
        if (useTls && (cert == null || key == null)) {
            throw BerthException.invalid("TLS is enabled but --tlscert and --tlskey were not both given");
        }
        if (verify && ca == null) {
            throw BerthException.invalid("--tlsverify requires --tlscacert to verify clients against");
        }
        if (useTls && !verify) {
            warnings.add("[SECURITY WARNING] TLS is enabled without --tlsverify: clients are not authenticated");
        }
        Map<String, String> lopts = logOpts != null ? logOpts : fr.stringMap("log-opts");
        String ldriver = logDriver != null ? logDriver : fr.string("log-driver", "json-file");
        if (!dev.berth.daemon.logs.LogDrivers.NAMES.contains(ldriver)) {
            throw BerthException.invalid("logger: no log driver named '%s' is registered", ldriver);
        }
        if (!lopts.isEmpty()) {
            // dockerd's setupDefaultLogConfig: the default driver's options are checked once, at start-up
            try {
                dev.berth.daemon.logs.LogDrivers.validate(ldriver, lopts);
            } catch (BerthException e) {
                throw BerthException.invalid("failed to set log opts: %s", e.getMessage());
            }
        }
        boolean live = liveRestore != null ? liveRestore : fr.bool("live-restore", true);
        if (!live) {
            warnings.add("live-restore=false is ignored: Berth containers always run under conmon and survive the daemon");
        }
        DaemonConfig config = new DaemonConfig(
                List.copyOf(normalized), data, exec, pid, runtime, level, ldriver, Map.copyOf(lopts),
                verify, ca, cert, key, useTls,
                usernsRemap != null ? usernsRemap : fr.string("userns-remap", ""),
                true,
                bip != null ? bip : fr.string("bip", null),
                ip != null ? ip : fr.string("ip", "0.0.0.0"),
                List.copyOf(insecureRegistries != null ? insecureRegistries : fr.strings("insecure-registries")),
                List.copyOf(registryMirrors != null ? registryMirrors : fr.strings("registry-mirrors")),
                List.copyOf(dns != null ? dns : fr.strings("dns")),
                dbg,
                cgroupParent != null ? cgroupParent : fr.string("cgroup-parent", null),
                iptables != null ? iptables : fr.bool("iptables", true),
                extra.containers(), extra.network(), extra.engine());
        if (!config.networkDefaults().icc() && !config.iptables()) {
            // dockerd's verifyDaemonSettings, word for word
            throw BerthException.invalid("You specified --iptables=false with --icc=false. ICC=false uses iptables to function. "
                    + "Please set --icc or --iptables to true");
        }
        BridgeSettings.of(config); // --bip, --fixed-cidr and the pools must agree (checked here for --validate too)
        return new Parsed(config, file, List.copyOf(warnings), null, more.validate);
    }

    private static String validateLevel(String level) {
        String l = level.toLowerCase(java.util.Locale.ROOT);
        return switch (l) {
            case "debug", "info", "warn", "error", "fatal" -> l;
            case "warning" -> "warn";
            default -> throw BerthException.invalid("unable to parse logging level: %s", level);
        };
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"Berth version " + VERSION};
        }
    }
}
