package dev.berth.daemon.config;

import dev.berth.api.model.HostConfig;
import dev.berth.common.BerthException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/**
 * dockerd's container-default, networking-default and engine flags, mixed into
 * {@link DaemonOptions}; {@link #resolve} merges each with its {@code daemon.json} key (dockerd's
 * names) into {@link ContainerDefaults}, {@link NetworkDefaults} and {@link EngineSettings}, with
 * dockerd's validation. Not thread-safe (one instance per parse).
 */
final class MoreOptions {
    @Option(names = "--validate", description = "Validate daemon configuration and exit")
    boolean validate;

    @Option(names = {"-G", "--group"}, description = "Group for the unix socket (default \"docker\")")
    String group;

    @Option(names = "--default-ulimit", description = "Default ulimits for containers (name=soft[:hard])")
    List<String> defaultUlimits;

    @Option(names = "--default-shm-size", description = "Default shm size for containers (default 64MiB)")
    String defaultShmSize;

    @Option(names = "--init", arity = "0..1", fallbackValue = "true", description = "Run an init in the container to forward signals and reap processes")
    Boolean init;

    @Option(names = "--seccomp-profile", description = "Path to seccomp profile; \"unconfined\" to disable the default one")
    String seccompProfile;

    @Option(names = "--no-new-privileges", arity = "0..1", fallbackValue = "true", description = "Set no-new-privileges by default for new containers")
    Boolean noNewPrivileges;

    @Option(names = "--default-cgroupns-mode", description = "Default mode for containers cgroup namespace (\"host\" | \"private\")")
    String defaultCgroupnsMode;

    @Option(names = "--mtu", description = "Set the MTU for the default \"bridge\" network (default 1500)")
    Integer mtu;

    @Option(names = "--fixed-cidr", description = "IPv4 subnet for the default bridge network")
    String fixedCidr;

    @Option(names = "--default-address-pool", description = "Default address pools for node specific local networks (base=CIDR,size=N)")
    List<String> addressPools;

    @Option(names = "--icc", arity = "0..1", fallbackValue = "true", description = "Enable inter-container communication for the default bridge network (default true)")
    Boolean icc;

    @Option(names = "--ip-masq", arity = "0..1", fallbackValue = "true", description = "Enable IP masquerading for the default bridge network (default true)")
    Boolean ipMasq;

    @Option(names = "--userland-proxy", arity = "0..1", fallbackValue = "true", description = "Accepted for compatibility; Berth never runs a userland proxy")
    Boolean userlandProxy;

    @Option(names = "--dns-search", description = "DNS search domains to use")
    List<String> dnsSearch;

    @Option(names = "--dns-opt", description = "DNS options to use")
    List<String> dnsOpts;

    @Option(names = "--host-gateway-ip", description = "IP address that the special 'host-gateway' string in --add-host resolves to")
    List<String> hostGatewayIps;

    @Option(names = {"-s", "--storage-driver"}, description = "Storage driver to use (Berth: overlay2 only)")
    String storageDriver;

    @Option(names = "--exec-opt", description = "Runtime execution options (native.cgroupdriver=cgroupfs)")
    List<String> execOpts;

    @Option(names = "--label", description = "Set key=value labels to the daemon")
    List<String> labels;

    @Option(names = "--experimental", arity = "0..1", fallbackValue = "true", description = "Enable experimental features")
    Boolean experimental;

    @Option(names = "--max-concurrent-downloads", description = "Set the max concurrent downloads (default 3)")
    Integer maxConcurrentDownloads;

    @Option(names = "--max-concurrent-uploads", description = "Set the max concurrent uploads (default 5)")
    Integer maxConcurrentUploads;

    @Option(names = "--max-download-attempts", description = "Set the max download attempts for each pull (default 5)")
    Integer maxDownloadAttempts;

    @Option(names = "--shutdown-timeout", description = "Set the default shutdown timeout (default 15)")
    Integer shutdownTimeout;

    /** The flags given, under their daemon.json names, for dockerd's conflict check. */
    void addFlags(Map<String, Object> flags) {
        flags.put("group", group);
        flags.put("default-ulimits", defaultUlimits);
        flags.put("default-shm-size", defaultShmSize);
        flags.put("init", init);
        flags.put("seccomp-profile", seccompProfile);
        flags.put("no-new-privileges", noNewPrivileges);
        flags.put("default-cgroupns-mode", defaultCgroupnsMode);
        flags.put("mtu", mtu);
        flags.put("fixed-cidr", fixedCidr);
        flags.put("default-address-pools", addressPools);
        flags.put("icc", icc);
        flags.put("ip-masq", ipMasq);
        flags.put("userland-proxy", userlandProxy);
        flags.put("dns-search", dnsSearch);
        flags.put("dns-opts", dnsOpts);
        flags.put("host-gateway-ip", hostGatewayIps);
        flags.put("host-gateway-ips", hostGatewayIps);
        flags.put("storage-driver", storageDriver);
        flags.put("exec-opts", execOpts);
        flags.put("labels", labels);
        flags.put("experimental", experimental);
        flags.put("max-concurrent-downloads", maxConcurrentDownloads);
        flags.put("max-concurrent-uploads", maxConcurrentUploads);
        flags.put("max-download-attempts", maxDownloadAttempts);
        flags.put("shutdown-timeout", shutdownTimeout);
    }

    record Resolved(ContainerDefaults containers, NetworkDefaults network, EngineSettings engine) {}

    Resolved resolve(ConfigFileReader fr, List<String> warnings) {
        return new Resolved(containerDefaults(fr), networkDefaults(fr, warnings), engine(fr, warnings));
    }

    private ContainerDefaults containerDefaults(ConfigFileReader fr) {
        List<HostConfig.Ulimit> ulimits = new ArrayList<>();
        if (defaultUlimits != null) {
            Map<String, HostConfig.Ulimit> byName = new LinkedHashMap<>();
            defaultUlimits.forEach(u -> {
                HostConfig.Ulimit l = ValueParsers.ulimit(u);
                byName.put(l.name(), l); // dockerd's UlimitOpt is a map: the last one of a name wins
            });
            ulimits.addAll(byName.values());
        } else {
            JsonNode n = fr.node("default-ulimits");
            if (n != null) {
                if (!n.isObject()) {
                    throw fr.fail("invalid value for \"default-ulimits\": expected an object of {\"Name\",\"Soft\",\"Hard\"} by name");
                }
                for (var p : n.properties()) {
                    JsonNode u = p.getValue();
                    if (!u.isObject() || !u.path("Soft").isIntegralNumber() || !u.path("Hard").isIntegralNumber()) {
                        throw fr.fail("invalid value for \"default-ulimits\": " + p.getKey() + " needs integer \"Soft\" and \"Hard\"");
                    }
                    String name = u.path("Name").isString() && !u.path("Name").asString().isEmpty() ? u.path("Name").asString() : p.getKey();
                    ulimits.add(ValueParsers.checked(name, u.path("Soft").asLong(), u.path("Hard").asLong()));
                }
            }
        }
        long shm = ContainerDefaults.DEFAULT_SHM_SIZE;
        if (defaultShmSize != null) {
            shm = ValueParsers.ramInBytes(defaultShmSize);
        } else {
            JsonNode n = fr.node("default-shm-size");
            if (n != null) {
                shm = n.isIntegralNumber() ? n.asLong() : ValueParsers.ramInBytes(n.asString());
            }
        }
        if (shm <= 0) {
            throw BerthException.invalid("invalid default shm size: %d", shm);
        }
        boolean initDefault = init != null ? init : fr.bool("init", false);
        String seccomp = seccompProfile != null ? seccompProfile : fr.string("seccomp-profile", null);
        String profile = seccompContent(seccomp);
        boolean nnp = noNewPrivileges != null ? noNewPrivileges : fr.bool("no-new-privileges", false);
        String cgroupns = defaultCgroupnsMode != null ? defaultCgroupnsMode : fr.string("default-cgroupns-mode", null);
        if (cgroupns != null && !cgroupns.equals("host") && !cgroupns.equals("private")) {
            throw BerthException.invalid("default cgroup namespace mode (%s) is invalid; use \"host\" or \"private\"", cgroupns);
        }
        return new ContainerDefaults(ulimits, shm, initDefault, profile, nnp, cgroupns);
    }

    /** dockerd's setupSeccompProfile: "" or "builtin" is the default profile; a path is read once, at start-up. */
    private static String seccompContent(String profile) {
        if (profile == null || profile.isEmpty() || profile.equals("builtin")) {
            return null;
        }
        if (profile.equals(ContainerDefaults.UNCONFINED)) {
            return ContainerDefaults.UNCONFINED;
        }
        String content;
        try {
            content = Files.readString(Path.of(profile));
        } catch (IOException e) {
            throw BerthException.invalid("opening seccomp profile (%s) failed: open %s: %s", profile, profile,
                    e instanceof java.nio.file.NoSuchFileException ? "no such file or directory" : e.getMessage());
        }
        try {
            JsonNode n = dev.berth.common.Json.mapper().readTree(content);
            if (!n.isObject()) {
                throw BerthException.invalid("decoding seccomp profile (%s) failed: not a JSON object", profile);
            }
        } catch (tools.jackson.core.JacksonException e) {
            throw BerthException.invalid("decoding seccomp profile (%s) failed: %s", profile, e.getOriginalMessage());
        }
        return content;
    }

    private NetworkDefaults networkDefaults(ConfigFileReader fr, List<String> warnings) {
        int m = mtu != null ? mtu : (fr.intOrNull("mtu") == null ? 0 : fr.intOrNull("mtu"));
        if (m < 0) {
            throw BerthException.invalid("invalid default MTU: %d", m);
        }
        if (m != 0 && (m < 68 || m > 65535)) {
            throw BerthException.invalid("invalid default MTU: %d (must be between 68 and 65535)", m);
        }
        String fixed = fixedCidr != null ? fixedCidr : fr.string("fixed-cidr", null);
        List<NetworkDefaults.AddressPool> pools = new ArrayList<>();
        if (addressPools != null) {
            addressPools.forEach(p -> pools.add(ValueParsers.pool(p)));
        } else {
            JsonNode n = fr.node("default-address-pools");
            if (n != null) {
                if (!n.isArray()) {
                    throw fr.fail("invalid value for \"default-address-pools\": expected an array of {\"base\",\"size\"}");
                }
                for (JsonNode p : n) {
                    if (!p.isObject() || !p.path("base").isString() || !p.path("size").isIntegralNumber()) {
                        throw fr.fail("invalid value for \"default-address-pools\": each pool needs a string \"base\" and an integer \"size\"");
                    }
                    pools.add(ValueParsers.checkedPool(p.path("base").asString(), p.path("size").asInt()));
                }
            }
        }
        boolean iccOn = icc != null ? icc : fr.bool("icc", true);
        boolean masq = ipMasq != null ? ipMasq : fr.bool("ip-masq", true);
        boolean proxy = userlandProxy != null ? userlandProxy : fr.bool("userland-proxy", true);
        List<String> search = dnsSearch != null ? dnsSearch : fr.strings("dns-search");
        search.forEach(ValueParsers::dnsSearch);
        List<String> opts = dnsOpts != null ? dnsOpts : fr.strings("dns-opts");
        // dockerd 28: "host-gateway-ips" (one IPv4 and/or one IPv6; the flag may repeat), "host-gateway-ip" is the older single form
        if (fr.has("host-gateway-ip") && fr.has("host-gateway-ips")) {
            throw fr.fail("\"host-gateway-ip\" and \"host-gateway-ips\" cannot both be set");
        }
        List<String> gws = hostGatewayIps != null ? hostGatewayIps
                : fr.has("host-gateway-ips") ? fr.strings("host-gateway-ips")
                : fr.has("host-gateway-ip") ? List.of(fr.string("host-gateway-ip", null)) : List.of();
        String gw = null;
        for (String g : gws) {
            ValueParsers.ip(g, "--host-gateway-ip");
            if (!g.contains(":") && gw == null) {
                gw = g;
            } else if (!g.contains(":")) {
                throw BerthException.invalid("only one IPv4 host gateway IP address can be specified");
            } else {
                warnings.add("host gateway IPv6 address " + g + " is ignored: Berth resolves host-gateway to IPv4 only");
            }
        }
        return new NetworkDefaults(m, fixed, pools, iccOn, masq, proxy, search, opts, gw);
    }

    private EngineSettings engine(ConfigFileReader fr, List<String> warnings) {
        boolean groupGiven = group != null || fr.has("group");
        String g = group != null ? group : fr.string("group", EngineSettings.DEFAULT_GROUP);
        String driver = storageDriver != null ? storageDriver : fr.string("storage-driver", "");
        switch (driver) {
            case "", "overlay2" -> { }
            case "overlay" -> warnings.add("storage driver \"overlay\" is not supported; Berth uses overlay2");
            default -> throw BerthException.invalid("error initializing graphdriver: driver not supported: %s "
                    + "(Berth only supports the overlay2 storage driver)", driver);
        }
        List<String> exec = execOpts != null ? execOpts : fr.strings("exec-opts");
        for (String o : exec) {
            int eq = o.indexOf('=');
            if (eq < 0) {
                throw BerthException.invalid("unable to parse key/value option: %s", o);
            }
            String key = o.substring(0, eq).trim().toLowerCase(java.util.Locale.ROOT);
            String val = o.substring(eq + 1).trim();
            switch (key) {
                case "native.cgroupdriver" -> {
                    switch (val) {
                        case "cgroupfs" -> { }
                        // Berth creates container cgroups itself (cgroupfs, under --cgroup-parent). Refusing systemd would
                        // break the many daemon.json files written for kubeadm; accept it and say what really happens.
                        case "systemd" -> warnings.add("native.cgroupdriver=systemd is not supported by Berth: containers use the "
                                + "cgroupfs driver (docker info shows \"Cgroup Driver: cgroupfs\")");
                        case "none" -> throw BerthException.invalid("native.cgroupdriver option %s is internally used and cannot be specified manually", val);
                        default -> throw BerthException.invalid("native.cgroupdriver option %s not supported", val);
                    }
                }
                case "native.umask" -> warnings.add("exec-opt native.umask is ignored by Berth (containers get the runtime's umask 0022)");
                default -> throw BerthException.invalid("unknown exec-opt: %s", o);
            }
        }
        List<String> lbls = ValueParsers.labels(labels != null ? labels : fr.strings("labels"));
        boolean exp = experimental != null ? experimental : fr.bool("experimental", false);
        int downloads = maxConcurrentDownloads != null ? maxConcurrentDownloads : orDefault(fr.intOrNull("max-concurrent-downloads"), 3);
        int uploads = maxConcurrentUploads != null ? maxConcurrentUploads : orDefault(fr.intOrNull("max-concurrent-uploads"), 5);
        int attempts = maxDownloadAttempts != null ? maxDownloadAttempts : orDefault(fr.intOrNull("max-download-attempts"), 5);
        if (downloads < 0) {
            throw BerthException.invalid("invalid max concurrent downloads: %d", downloads);
        }
        if (uploads < 0) {
            throw BerthException.invalid("invalid max concurrent uploads: %d", uploads);
        }
        if (attempts <= 0) {
            throw BerthException.invalid("invalid max download attempts: %d", attempts);
        }
        int shutdown = shutdownTimeout != null ? shutdownTimeout : orDefault(fr.intOrNull("shutdown-timeout"), 15);
        Map<String, Boolean> features = new LinkedHashMap<>();
        JsonNode f = fr.node("features");
        if (f != null) {
            if (!f.isObject()) {
                throw fr.fail("invalid value for \"features\": expected an object of booleans");
            }
            for (var p : f.properties()) {
                if (!p.getValue().isBoolean()) {
                    throw fr.fail("invalid value for \"features\": " + p.getKey() + " must be true or false");
                }
                features.put(p.getKey(), p.getValue().asBoolean());
            }
        }
        // 0 means "the default" for the concurrency knobs, as dockerd's config loading does
        return new EngineSettings(g, groupGiven, "overlay2", "cgroupfs", lbls, exp, downloads == 0 ? 3 : downloads,
                uploads == 0 ? 5 : uploads, attempts, shutdown, features);
    }

    private static int orDefault(Integer v, int d) {
        return v == null ? d : v;
    }
}
