package dev.berth.cli;

import dev.berth.common.BerthException;
import dev.berth.common.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns {@link RunOptions} into the {@code POST /containers/create} body (Config with HostConfig
 * and NetworkingConfig embedded), validating flags the way the docker CLI does before it calls
 * the engine. Pure: no I/O except reading {@code --env-file}s.
 */
final class SpecBuilder {
    private SpecBuilder() {}

    static ObjectNode build(RunOptions o, boolean attachStdio, Map<String, String> hostEnv) {
        ObjectNode cfg = Json.mapper().createObjectNode();
        ObjectNode host = cfg.objectNode();
        put(cfg, "Hostname", o.hostname);
        put(cfg, "Domainname", o.domainname);
        put(cfg, "User", o.user);
        boolean stdin = o.interactive;
        boolean attachOut = attachStdio && (o.attach.isEmpty() || o.attach.stream().anyMatch(a -> a.equalsIgnoreCase("stdout")));
        boolean attachErr = attachStdio && (o.attach.isEmpty() || o.attach.stream().anyMatch(a -> a.equalsIgnoreCase("stderr")));
        cfg.put("AttachStdin", attachStdio && stdin);
        cfg.put("AttachStdout", attachOut);
        cfg.put("AttachStderr", attachErr);
        cfg.put("Tty", o.tty);
        cfg.put("OpenStdin", stdin);
        cfg.put("StdinOnce", attachStdio && stdin);
        ArrayNode env = cfg.putArray("Env");
        for (String file : o.envFiles) {
            readEnvFile(file, hostEnv).forEach(env::add);
        }
        for (String e : o.env) {
            if (e.contains("=")) {
                env.add(e);
            } else if (hostEnv.containsKey(e)) {
                env.add(e + "=" + hostEnv.get(e));
            }
        }
        if (!o.command.isEmpty()) {
            ArrayNode cmd = cfg.putArray("Cmd");
            o.command.forEach(cmd::add);
        }
        if (o.entrypoint != null) {
            cfg.putArray("Entrypoint").add(o.entrypoint);
        }
        cfg.put("Image", o.image);
        put(cfg, "WorkingDir", o.workdir);
        ObjectNode labels = cfg.putObject("Labels");
        for (String l : o.labels) {
            int eq = l.indexOf('=');
            labels.put(eq < 0 ? l : l.substring(0, eq), eq < 0 ? "" : l.substring(eq + 1));
        }
        put(cfg, "StopSignal", o.stopSignal);
        if (o.stopTimeout != null) {
            cfg.put("StopTimeout", o.stopTimeout);
        }
        health(o, cfg);

        // Ports
        ObjectNode exposed = cfg.objectNode();
        ObjectNode bindings = host.putObject("PortBindings");
        for (String e : o.expose) {
            exposed.putObject(withProto(e));
        }
        for (String p : o.publish) {
            Ports.parse(p, exposed, bindings);
        }
        if (!exposed.isEmpty()) {
            cfg.set("ExposedPorts", exposed);
        }

        // Volumes and mounts
        ObjectNode anon = cfg.objectNode();
        ArrayNode binds = host.putArray("Binds");
        for (String v : o.volumes) {
            String[] parts = v.split(":");
            if (parts.length == 1) {
                if (!v.startsWith("/")) {
                    throw BerthException.invalid("invalid volume specification: '%s'", v);
                }
                anon.putObject(v);
            } else if (parts.length <= 3) {
                if (parts[1].isEmpty() || !parts[1].startsWith("/")) {
                    throw BerthException.invalid("invalid volume specification: '%s'", v);
                }
                binds.add(v);
            } else {
                throw BerthException.invalid("invalid volume specification: '%s'", v);
            }
        }
        if (!anon.isEmpty()) {
            cfg.set("Volumes", anon);
        }
        if (!o.mounts.isEmpty()) {
            ArrayNode mounts = host.putArray("Mounts");
            o.mounts.forEach(m -> mounts.add(Mounts.parse(m)));
        }
        if (!o.tmpfs.isEmpty()) {
            ObjectNode t = host.putObject("Tmpfs");
            for (String s : o.tmpfs) {
                int c = s.indexOf(':');
                t.put(c < 0 ? s : s.substring(0, c), c < 0 ? "" : s.substring(c + 1));
            }
        }
        strings(host, "VolumesFrom", o.volumesFrom);

        // Host config
        host.put("NetworkMode", o.network == null ? "default" : o.network);
        host.set("RestartPolicy", restartPolicy(o.restart, o.rm));
        host.put("AutoRemove", o.rm);
        host.put("Privileged", o.privileged);
        host.put("PublishAllPorts", o.publishAll);
        host.put("ReadonlyRootfs", o.readOnly);
        if (o.init) {
            host.put("Init", true);
        }
        strings(host, "CapAdd", o.capAdd);
        strings(host, "CapDrop", o.capDrop);
        strings(host, "SecurityOpt", o.securityOpt);
        strings(host, "ExtraHosts", o.addHost);
        strings(host, "Dns", o.dns);
        strings(host, "DnsSearch", o.dnsSearch);
        strings(host, "DnsOptions", o.dnsOption);
        strings(host, "GroupAdd", o.groupAdd);
        put(host, "PidMode", o.pid);
        put(host, "IpcMode", o.ipc);
        put(host, "UTSMode", o.uts);
        put(host, "UsernsMode", o.userns);
        put(host, "CgroupnsMode", o.cgroupns);
        put(host, "Runtime", o.runtime);
        put(host, "ContainerIDFile", o.cidfile);
        if (o.oomScoreAdj != null) {
            host.put("OomScoreAdj", o.oomScoreAdj);
        }
        if (o.memory != null) {
            host.put("Memory", Units.ramInBytes(o.memory));
        }
        if (o.memorySwap != null) {
            host.put("MemorySwap", o.memorySwap.equals("-1") ? -1 : Units.ramInBytes(o.memorySwap));
        }
        if (o.memoryReservation != null) {
            host.put("MemoryReservation", Units.ramInBytes(o.memoryReservation));
        }
        if (o.shmSize != null) {
            host.put("ShmSize", Units.ramInBytes(o.shmSize));
        }
        if (o.cpus != null) {
            host.put("NanoCpus", Units.nanoCpus(o.cpus));
        }
        if (o.cpuShares != null) {
            host.put("CpuShares", o.cpuShares);
        }
        put(host, "CpusetCpus", o.cpusetCpus);
        if (o.pidsLimit != null) {
            host.put("PidsLimit", o.pidsLimit);
        }
        if (!o.ulimits.isEmpty()) {
            ArrayNode ul = host.putArray("Ulimits");
            for (String u : o.ulimits) {
                String[] nv = u.split("=", 2);
                String[] sh = nv.length < 2 ? new String[] {"0"} : nv[1].split(":", 2);
                ObjectNode n = ul.addObject().put("Name", nv[0]).put("Soft", Long.parseLong(sh[0]));
                n.put("Hard", Long.parseLong(sh.length > 1 ? sh[1] : sh[0]));
            }
        }
        if (!o.sysctls.isEmpty()) {
            ObjectNode s = host.putObject("Sysctls");
            o.sysctls.forEach(x -> s.put(x.split("=", 2)[0], x.contains("=") ? x.split("=", 2)[1] : ""));
        }
        if (!o.devices.isEmpty()) {
            ArrayNode d = host.putArray("Devices");
            for (String dev : o.devices) {
                String[] p = dev.split(":");
                d.addObject().put("PathOnHost", p[0]).put("PathInContainer", p.length > 1 ? p[1] : p[0])
                        .put("CgroupPermissions", p.length > 2 ? p[2] : "rwm");
            }
        }
        if (o.logDriver != null || !o.logOpts.isEmpty()) {
            ObjectNode lc = host.putObject("LogConfig");
            lc.put("Type", o.logDriver == null ? "" : o.logDriver);
            ObjectNode lo = lc.putObject("Config");
            o.logOpts.forEach(x -> lo.put(x.split("=", 2)[0], x.contains("=") ? x.split("=", 2)[1] : ""));
        }
        cfg.set("HostConfig", host);

        ObjectNode net = cfg.putObject("NetworkingConfig");
        ObjectNode eps = net.putObject("EndpointsConfig");
        if (o.network != null && (!o.networkAliases.isEmpty() || o.ip != null)) {
            ObjectNode ep = eps.putObject(o.network);
            strings(ep, "Aliases", o.networkAliases);
            if (o.ip != null) {
                ep.putObject("IPAMConfig").put("IPv4Address", o.ip);
            }
        }
        return cfg;
    }

    private static void health(RunOptions o, ObjectNode cfg) {
        if (o.noHealthcheck) {
            cfg.putObject("Healthcheck").putArray("Test").add("NONE");
            return;
        }
        if (o.healthCmd == null && o.healthInterval == null && o.healthRetries == null && o.healthTimeout == null
                && o.healthStartPeriod == null) {
            return;
        }
        ObjectNode h = cfg.putObject("Healthcheck");
        if (o.healthCmd != null) {
            h.putArray("Test").add("CMD-SHELL").add(o.healthCmd);
        }
        if (o.healthInterval != null) {
            h.put("Interval", Units.duration(o.healthInterval, "--health-interval"));
        }
        if (o.healthTimeout != null) {
            h.put("Timeout", Units.duration(o.healthTimeout, "--health-timeout"));
        }
        if (o.healthStartPeriod != null) {
            h.put("StartPeriod", Units.duration(o.healthStartPeriod, "--health-start-period"));
        }
        if (o.healthRetries != null) {
            h.put("Retries", o.healthRetries);
        }
    }

    static ObjectNode restartPolicy(String restart, boolean rm) {
        ObjectNode p = Json.mapper().createObjectNode();
        String name = restart == null ? "no" : restart;
        int max = 0;
        int colon = name.indexOf(':');
        if (colon >= 0) {
            try {
                max = Integer.parseInt(name.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw BerthException.invalid("invalid restart policy format: maximum retry count must be an integer");
            }
            name = name.substring(0, colon);
        }
        switch (name) {
            case "no", "always", "unless-stopped", "on-failure" -> { }
            default -> throw BerthException.invalid("invalid restart policy format: unknown policy '%s'", name);
        }
        if (colon >= 0 && !name.equals("on-failure")) {
            throw BerthException.invalid("invalid restart policy format: maximum retry count can only be used with 'on-failure'");
        }
        if (rm && !name.equals("no")) {
            throw BerthException.invalid("conflicting options: cannot specify both --restart and --rm");
        }
        p.put("Name", name);
        p.put("MaximumRetryCount", max);
        return p;
    }

    private static List<String> readEnvFile(String file, Map<String, String> hostEnv) {
        try {
            return Files.readAllLines(Path.of(file)).stream()
                    .map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .map(l -> l.contains("=") ? l : hostEnv.containsKey(l) ? l + "=" + hostEnv.get(l) : null)
                    .filter(java.util.Objects::nonNull)
                    .toList();
        } catch (IOException e) {
            throw BerthException.invalid("open %s: no such file or directory", file);
        }
    }

    static String withProto(String port) {
        return port.contains("/") ? port.toLowerCase(Locale.ROOT) : port + "/tcp";
    }

    private static void put(ObjectNode n, String k, String v) {
        if (v != null) {
            n.put(k, v);
        }
    }

    private static void strings(ObjectNode n, String k, List<String> vs) {
        if (!vs.isEmpty()) {
            ArrayNode a = n.putArray(k);
            vs.forEach(a::add);
        }
    }
}
