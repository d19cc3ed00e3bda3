package dev.berth.server;

import dev.berth.api.model.ContainerInspect;
import dev.berth.common.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * dockerd's JSON shape of the inspect documents ({@code GET /containers/{id}/json}, images,
 * networks, volumes) at API 1.50: fields in the order of
 * Docker's Go types, the fields Go always writes present (as {@code null}, {@code ""}, {@code 0}
 * or {@code false} when unset — scripts and typed clients index them), and, as API versions
 * before 1.52 do, the deprecated top-level {@code NetworkSettings} address fields filled from the
 * default {@code bridge} network ({@code docker inspect -f '{{.NetworkSettings.IPAddress}}'}).
 * Fields this table does not know keep their place at the end. Stateless.
 */
final class InspectShape {
    private InspectShape() {}

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** Marks a field Go omits when empty (omitempty): it keeps its place if set, is dropped if empty, never added. */
    private static final Object OMIT = new Object();
    private static final Object NULL = new Object();

    /** A field: name, then the value written when it is missing (or a nested shape, or OMIT). */
    private record Field(String name, Object zero) {}

    private static List<Field> fields(Object... nameZero) {
        List<Field> out = new ArrayList<>();
        for (int i = 0; i < nameZero.length; i += 2) {
            out.add(new Field((String) nameZero[i], nameZero[i + 1]));
        }
        return out;
    }

    private static final List<Field> STATE = fields("Status", "", "Running", false, "Paused", false, "Restarting", false,
            "OOMKilled", false, "Dead", false, "Pid", 0, "ExitCode", 0, "Error", "", "StartedAt", "", "FinishedAt", "", "Health", OMIT);
    private static final List<Field> HOST_CONFIG = fields("Binds", NULL, "ContainerIDFile", "", "LogConfig", OMIT,
            "NetworkMode", "", "PortBindings", NULL, "RestartPolicy", OMIT, "AutoRemove", false, "VolumeDriver", "",
            "VolumesFrom", NULL, "ConsoleSize", OMIT, "Annotations", OMIT, "CapAdd", NULL, "CapDrop", NULL, "CgroupnsMode", "",
            "Dns", NULL, "DnsOptions", NULL, "DnsSearch", NULL, "ExtraHosts", NULL, "GroupAdd", NULL, "IpcMode", "", "Cgroup", "",
            "Links", NULL, "OomScoreAdj", 0, "PidMode", "", "Privileged", false, "PublishAllPorts", false, "ReadonlyRootfs", false,
            "SecurityOpt", NULL, "StorageOpt", OMIT, "Tmpfs", OMIT, "UTSMode", "", "UsernsMode", "", "ShmSize", 0, "Sysctls", OMIT,
            "Runtime", "", "Isolation", "",
            // container.Resources, embedded
            "CpuShares", 0, "Memory", 0, "NanoCpus", 0, "CgroupParent", "", "BlkioWeight", 0, "BlkioWeightDevice", NULL,
            "BlkioDeviceReadBps", NULL, "BlkioDeviceWriteBps", NULL, "BlkioDeviceReadIOps", NULL, "BlkioDeviceWriteIOps", NULL,
            "CpuPeriod", 0, "CpuQuota", 0, "CpuRealtimePeriod", 0, "CpuRealtimeRuntime", 0, "CpusetCpus", "", "CpusetMems", "",
            "Devices", NULL, "DeviceCgroupRules", NULL, "DeviceRequests", NULL, "KernelMemoryTCP", OMIT, "MemoryReservation", 0,
            "MemorySwap", 0, "MemorySwappiness", NULL, "OomKillDisable", NULL, "PidsLimit", NULL, "Ulimits", NULL,
            "CpuCount", 0, "CpuPercent", 0, "IOMaximumIOps", 0, "IOMaximumBandwidth", 0,
            "Mounts", OMIT, "MaskedPaths", OMIT, "ReadonlyPaths", OMIT, "Init", OMIT);
    private static final List<Field> CONFIG = fields("Hostname", "", "Domainname", "", "User", "", "AttachStdin", false,
            "AttachStdout", false, "AttachStderr", false, "ExposedPorts", OMIT, "Tty", false, "OpenStdin", false, "StdinOnce", false,
            "Env", NULL, "Cmd", NULL, "Healthcheck", OMIT, "ArgsEscaped", OMIT, "Image", "", "Volumes", NULL, "WorkingDir", "",
            "Entrypoint", NULL, "NetworkDisabled", OMIT, "MacAddress", OMIT, "OnBuild", NULL, "Labels", NULL, "StopSignal", OMIT,
            "StopTimeout", OMIT, "Shell", OMIT);
    private static final List<Field> ENDPOINT = fields("IPAMConfig", NULL, "Links", NULL, "Aliases", NULL, "MacAddress", "",
            "DriverOpts", NULL, "GwPriority", 0, "NetworkID", "", "EndpointID", "", "Gateway", "", "IPAddress", "", "IPPrefixLen", 0,
            "IPv6Gateway", "", "GlobalIPv6Address", "", "GlobalIPv6PrefixLen", 0, "DNSNames", NULL);
    /** The address fields API versions before 1.52 repeat at the top of NetworkSettings, from the default bridge. */
    private static final List<String> BRIDGE_COPIES = List.of("EndpointID", "Gateway", "GlobalIPv6Address", "GlobalIPv6PrefixLen",
            "IPAddress", "IPPrefixLen", "IPv6Gateway", "MacAddress");
    private static final List<Field> NETWORK_SETTINGS = fields("Bridge", "", "SandboxID", "", "SandboxKey", "", "Ports", NULL,
            "HairpinMode", false, "LinkLocalIPv6Address", "", "LinkLocalIPv6PrefixLen", 0, "SecondaryIPAddresses", NULL,
            "SecondaryIPv6Addresses", NULL, "EndpointID", "", "Gateway", "", "GlobalIPv6Address", "", "GlobalIPv6PrefixLen", 0,
            "IPAddress", "", "IPPrefixLen", 0, "IPv6Gateway", "", "MacAddress", "", "Networks", NULL);
    private static final List<Field> GRAPH_DRIVER = fields("Data", NULL, "Name", "");
    private static final List<Field> INSPECT = fields("Id", "", "Created", "", "Path", "", "Args", NULL, "State", OMIT,
            "Image", "", "ResolvConfPath", "", "HostnamePath", "", "HostsPath", "", "LogPath", "", "Name", "", "RestartCount", 0,
            "Driver", "", "Platform", "", "MountLabel", "", "ProcessLabel", "", "AppArmorProfile", "", "ExecIDs", NULL,
            "HostConfig", OMIT, "GraphDriver", OMIT, "SizeRw", OMIT, "SizeRootFs", OMIT, "Mounts", NULL, "Config", OMIT,
            "NetworkSettings", OMIT);

    /** Fields of an image's config that API 1.50 stopped returning (they belong to containers, not images). */
    private static final List<String> IMAGE_CONFIG_CONTAINER_ONLY = List.of("Hostname", "Domainname", "AttachStdin", "AttachStdout",
            "AttachStderr", "Tty", "OpenStdin", "StdinOnce", "Image", "NetworkDisabled", "MacAddress", "StopTimeout");
    /** The OCI image config, as dockerd 28 writes it (every field omitted when empty). */
    private static final List<Field> IMAGE_CONFIG = fields("User", OMIT, "ExposedPorts", OMIT, "Env", OMIT, "Entrypoint", OMIT,
            "Cmd", OMIT, "Volumes", OMIT, "WorkingDir", OMIT, "Labels", OMIT, "StopSignal", OMIT, "ArgsEscaped", OMIT,
            "Healthcheck", OMIT, "OnBuild", OMIT, "Shell", OMIT);
    private static final List<Field> NETWORK = fields("Name", "", "Id", "", "Created", "", "Scope", "", "Driver", "",
            "EnableIPv4", false, "EnableIPv6", false, "IPAM", OMIT, "Internal", false, "Attachable", false, "Ingress", false,
            "ConfigFrom", OMIT, "ConfigOnly", false, "Peers", OMIT, "Services", OMIT, "Containers", NULL, "Options", NULL,
            "Labels", NULL);
    private static final List<Field> IPAM = fields("Driver", "", "Options", NULL, "Config", NULL);
    private static final List<Field> VOLUME = fields("ClusterVolume", OMIT, "CreatedAt", OMIT, "Driver", "", "Labels", NULL,
            "Mountpoint", "", "Name", "", "Options", NULL, "Scope", "", "Status", OMIT, "UsageData", OMIT);

    /** An image's inspect document in dockerd's shape for the request's API version. */
    static ObjectNode image(Object inspect, boolean api150) {
        ObjectNode in = Json.mapper().valueToTree(inspect);
        if (api150 && in.get("Config") instanceof ObjectNode config) {
            IMAGE_CONFIG_CONTAINER_ONLY.forEach(config::remove);
            reshape(in, "Config", IMAGE_CONFIG);
        }
        sortKeys(in.get("Config"), "Labels", "ExposedPorts", "Volumes");
        sortKeys(in.get("GraphDriver"), "Data");
        reshape(in, "GraphDriver", GRAPH_DRIVER);
        return in;
    }

    /** A network's inspect document in dockerd's shape. */
    static ObjectNode network(Object inspect) {
        ObjectNode in = Json.mapper().valueToTree(inspect);
        if (!in.has("ConfigFrom")) {
            in.set("ConfigFrom", F.objectNode().put("Network", ""));
        }
        sortKeys(in, "Containers", "Options", "Labels");
        reshape(in, "IPAM", IPAM);
        return ordered(in, NETWORK);
    }

    /** A volume's inspect document in dockerd's shape. */
    static ObjectNode volume(Object inspect) {
        ObjectNode in = Json.mapper().valueToTree(inspect);
        sortKeys(in, "Labels", "Options", "Status");
        return ordered(in, VOLUME);
    }

    /** The container's inspect document in dockerd's shape. */
    static ObjectNode container(ContainerInspect inspect) {
        ObjectNode in = Json.mapper().valueToTree(inspect);
        // Go writes maps with their keys sorted
        sortKeys(in.get("Config"), "Labels", "ExposedPorts", "Volumes");
        sortKeys(in.get("HostConfig"), "PortBindings", "Sysctls", "Tmpfs", "StorageOpt", "Annotations");
        sortKeys(in.get("HostConfig") == null ? null : in.get("HostConfig").get("LogConfig"), "Config");
        sortKeys(in.get("GraphDriver"), "Data");
        sortKeys(in.get("NetworkSettings"), "Ports", "Networks");
        reshape(in, "State", STATE);
        reshape(in, "HostConfig", HOST_CONFIG);
        reshape(in, "Config", CONFIG);
        reshape(in, "GraphDriver", GRAPH_DRIVER);
        if (in.get("NetworkSettings") instanceof ObjectNode ns) {
            if (ns.get("Networks") instanceof ObjectNode nets) {
                List<String> names = new ArrayList<>();
                nets.propertyNames().forEach(names::add);
                for (String n : names) {
                    reshape(nets, n, ENDPOINT);
                }
                if (nets.get("bridge") instanceof ObjectNode bridge) {
                    for (String k : BRIDGE_COPIES) {
                        if (!ns.has(k) && bridge.has(k)) {
                            ns.set(k, bridge.get(k));
                        }
                    }
                }
            }
            reshape(in, "NetworkSettings", NETWORK_SETTINGS);
        }
        return ordered(in, INSPECT);
    }

    private static void sortKeys(JsonNode parent, String... names) {
        if (!(parent instanceof ObjectNode p)) {
            return;
        }
        for (String name : names) {
            if (p.get(name) instanceof ObjectNode map) {
                ObjectNode sorted = F.objectNode();
                List<String> keys = new ArrayList<>();
                map.propertyNames().forEach(keys::add);
                keys.stream().sorted().forEach(k -> sorted.set(k, map.get(k)));
                p.set(name, sorted);
            }
        }
    }

    private static void reshape(ObjectNode parent, String name, List<Field> shape) {
        if (parent.get(name) instanceof ObjectNode child) {
            parent.set(name, ordered(child, shape));
        }
    }

    /** A copy of {@code in} with the shape's fields first, in order, missing ones added with their zero value. */
    private static ObjectNode ordered(ObjectNode in, List<Field> shape) {
        ObjectNode out = F.objectNode();
        for (Field f : shape) {
            JsonNode v = in.get(f.name());
            if (v != null && !(f.zero() == OMIT && empty(v))) {
                out.set(f.name(), v);
            } else if (v == null && f.zero() != OMIT) {
                out.set(f.name(), zero(f.zero()));
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = in.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!out.has(e.getKey()) && shape.stream().noneMatch(f -> f.name().equals(e.getKey()))) {
                out.set(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    /** What Go's omitempty leaves out (numbers and booleans are never omitted here: Go keeps pointers to them). */
    private static boolean empty(JsonNode v) {
        return v.isNull() || v.isString() && v.asString().isEmpty() || (v.isArray() || v.isObject()) && v.isEmpty();
    }

    private static JsonNode zero(Object z) {
        return switch (z) {
            case String s -> F.stringNode(s);
            case Integer i -> F.numberNode(i);
            case Boolean b -> F.booleanNode(b);
            default -> F.nullNode();
        };
    }
}
