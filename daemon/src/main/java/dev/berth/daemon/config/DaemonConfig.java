package dev.berth.daemon.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The daemon's settings after merging flags and the JSON config file (dockerd's names).
 *
 * @param hosts listen addresses: unix:///path, tcp://host:port
 * @param dataRoot persistent state (images, containers, volumes, network); default /var/lib/berth
 * @param execRoot runtime state (bundles, sockets, netns); default /run/berth
 * @param defaultRuntime "runc", "crun", or null to pick the fastest that works on this host
 * @param logOpts default json-file options, e.g. max-size=10m, max-file=3
 * @param userlandProxy unused by Berth (ports are published by rules); kept for config compatibility
 * @param usernsRemap "" for none, "default" or "user[:group]"
 * @param liveRestore containers keep running while the daemon is down (always true for Berth; kept for info)
 * @param bridgeIp --bip for the default bridge, e.g. 172.30.0.1/16; null for Berth's default
 * @param defaultBindAddress address for published ports without one (Docker: 0.0.0.0; --ip)
 * @param containerDefaults daemon-wide container defaults (ulimits, shm size, init, seccomp, …)
 * @param networkDefaults default-bridge and address-pool settings beyond --bip/--ip
 * @param engine socket group, labels, transfer concurrency, shutdown timeout, …
 */
public record DaemonConfig(
        List<String> hosts,
        Path dataRoot,
        Path execRoot,
        Path pidFile,
        String defaultRuntime,
        String logLevel,
        String logDriver,
        Map<String, String> logOpts,
        boolean tlsVerify,
        Path tlsCaCert,
        Path tlsCert,
        Path tlsKey,
        boolean tls,
        String usernsRemap,
        boolean liveRestore,
        String bridgeIp,
        String defaultBindAddress,
        List<String> insecureRegistries,
        List<String> registryMirrors,
        List<String> dns,
        boolean debug,
        String cgroupParent,
        boolean iptables,
        ContainerDefaults containerDefaults,
        NetworkDefaults networkDefaults,
        EngineSettings engine) {
    public DaemonConfig {
        containerDefaults = containerDefaults == null ? ContainerDefaults.none() : containerDefaults;
        networkDefaults = networkDefaults == null ? NetworkDefaults.none() : networkDefaults;
        engine = engine == null ? EngineSettings.defaults() : engine;
    }

    /** Without the newer setting groups (they take dockerd's defaults). */
    public DaemonConfig(List<String> hosts, Path dataRoot, Path execRoot, Path pidFile, String defaultRuntime, String logLevel,
                        String logDriver, Map<String, String> logOpts, boolean tlsVerify, Path tlsCaCert, Path tlsCert, Path tlsKey,
                        boolean tls, String usernsRemap, boolean liveRestore, String bridgeIp, String defaultBindAddress,
                        List<String> insecureRegistries, List<String> registryMirrors, List<String> dns, boolean debug,
                        String cgroupParent, boolean iptables) {
        this(hosts, dataRoot, execRoot, pidFile, defaultRuntime, logLevel, logDriver, logOpts, tlsVerify, tlsCaCert, tlsCert, tlsKey,
                tls, usernsRemap, liveRestore, bridgeIp, defaultBindAddress, insecureRegistries, registryMirrors, dns, debug,
                cgroupParent, iptables, null, null, null);
    }

    /** Berth's defaults, as {@code berthd} with no flags and no config file would run. */
    public static DaemonConfig defaults() {
        return new DaemonConfig(List.of("unix:///run/berth/berth.sock"), Path.of("/var/lib/berth"), Path.of("/run/berth"),
                Path.of("/run/berth/berthd.pid"), null, "info", "json-file", Map.of(), false, null, null, null, false,
                "", true, null, "0.0.0.0", List.of(), List.of(), List.of(), false, null, true);
    }

    /** True when containers run in a remapped user namespace ({@code --userns-remap}). */
    public boolean usernsRemapped() {
        return usernsRemap != null && !usernsRemap.isEmpty();
    }
}
