package dev.berth.sys.net;

import dev.berth.common.BerthException;
import dev.berth.common.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * {@link LinkOps} with iproute2's {@code ip}; operations inside a namespace run under
 * {@code nsenter --net=<path>}. {@link #applyAll} sends each run of consecutive operations in
 * the same namespace to ONE {@code ip -batch -} process (a sandbox's veth set-up is two spawns
 * instead of nine: process start-up dominates the cost of each step). Stateless and thread-safe.
 */
public final class IpLinkOps implements LinkOps {

    @Override
    public void apply(LinkOp op) {
        // Teardown's host-side veth deletion is one rtnetlink message: no process needed.
        if (op instanceof LinkOp.DeleteLink d && d.netns() == null && NetlinkLinks.deleteLink(d.link())) {
            return;
        }
        Cmd.Result r = Cmd.run(argv(op));
        if (!r.ok()) {
            if (op instanceof LinkOp.DeleteLink && r.stderr().contains("Cannot find device")) {
                return; // absent is fine: deletion is idempotent
            }
            r.orThrow();
        }
    }

    /**
     * Same meaning as applying one by one (stops at the first failure, earlier operations stay),
     * but consecutive batchable operations of one namespace run in one {@code ip -batch -}.
     * Deletions (whose "absent" error is ignored), sysctls and IPv6 operations (which need
     * {@code ip -6}) run on their own.
     */
    @Override
    public void applyAll(List<? extends LinkOp> ops) {
        int i = 0;
        while (i < ops.size()) {
            LinkOp op = ops.get(i);
            if (!batchable(op)) {
                apply(op);
                i++;
                continue;
            }
            Path ns = netnsOf(op);
            int j = i + 1;
            while (j < ops.size() && batchable(ops.get(j)) && java.util.Objects.equals(netnsOf(ops.get(j)), ns)) {
                j++;
            }
            if (j - i == 1) {
                apply(op);
            } else if (ns == null && nativeVethAttach(ops.subList(i, j))) {
                // done without a process
            } else {
                Cmd.Result r = Cmd.run(batchArgv(ns), batchInput(ops.subList(i, j)));
                r.orThrow();
            }
            i = j;
        }
    }

    /**
     * The host half of a bridge attachment — exactly {@code CreateVeth, SetMaster, SetHairpin(on),
     * SetUp} of one veth, as {@code LinkPlans.attach} emits it — through one rtnetlink request
     * (veth created attached and up, peer inside the namespace) plus the bridge port's sysfs
     * hairpin flag. False if the group has another shape or the native request failed (then
     * nothing was created and the caller runs the {@code ip} batch).
     */
    private static boolean nativeVethAttach(List<? extends LinkOp> group) {
        if (group.size() != 4 || !(group.get(0) instanceof LinkOp.CreateVeth v) || !(group.get(1) instanceof LinkOp.SetMaster m)
                || !(group.get(2) instanceof LinkOp.SetHairpin h) || !(group.get(3) instanceof LinkOp.SetUp u)
                || !m.link().equals(v.hostName()) || !h.link().equals(v.hostName()) || !h.on() || !u.link().equals(v.hostName())
                || !v.hostName().matches("[A-Za-z0-9_.-]{1,15}")) {
            return false;
        }
        if (!NetlinkLinks.createVethInBridge(v.hostName(), v.peerName(), v.peerNetns(), v.mtu(), m.bridge())) {
            return false;
        }
        try {
            java.nio.file.Files.writeString(Path.of("/sys/class/net", v.hostName(), "brport", "hairpin_mode"), "1");
        } catch (java.io.IOException | RuntimeException e) {
            Cmd.run(argv(h)).orThrow();
        }
        return true;
    }

    /** Whether an operation may share an {@code ip -batch} process with its neighbours. */
    static boolean batchable(LinkOp op) {
        return switch (op) {
            case LinkOp.SetSysctl s -> false;
            case LinkOp.DeleteLink d -> false;
            case LinkOp.AddAddress a -> !a.cidr().contains(":");
            case LinkOp.AddRoute r -> !(r.gateway() != null && r.gateway().contains(":")) && !r.destination().contains(":");
            default -> true;
        };
    }

    /** The namespace an operation runs in (null = host). */
    static Path netnsOf(LinkOp op) {
        return switch (op) {
            case LinkOp.CreateBridge b -> null;
            case LinkOp.CreateVeth v -> null;
            case LinkOp.CreateMacvlan m -> null;
            case LinkOp.SetMaster m -> null;
            case LinkOp.SetHairpin h -> null;
            case LinkOp.SetSysctl s -> s.netns();
            case LinkOp.SetMac m -> m.netns();
            case LinkOp.SetMtu m -> m.netns();
            case LinkOp.AddAddress a -> a.netns();
            case LinkOp.SetUp u -> u.netns();
            case LinkOp.SetDown d -> d.netns();
            case LinkOp.AddRoute r -> r.netns();
            case LinkOp.DeleteLink d -> d.netns();
        };
    }

    /** {@code [nsenter --net=P] ip -batch -} (package-visible for tests). */
    static List<String> batchArgv(Path netns) {
        return ip(netns, "-batch", "-");
    }

    /** The batch input: one line per operation, the arguments after {@code ip} (quoted if needed). */
    static String batchInput(List<? extends LinkOp> ops) {
        StringBuilder sb = new StringBuilder();
        for (LinkOp op : ops) {
            List<String> a = argv(op);
            int start = a.indexOf("ip") + 1;
            for (int k = start; k < a.size(); k++) {
                if (k > start) {
                    sb.append(' ');
                }
                String w = a.get(k);
                if (w.isEmpty() || w.chars().anyMatch(c -> Character.isWhitespace(c) || c == '"' || c == '\\' || c == '\'' || c == '#')) {
                    if (w.contains("\"") || w.contains("\n")) {
                        throw BerthException.invalid("unsupported character in link argument %s", w);
                    }
                    sb.append('"').append(w).append('"');
                } else {
                    sb.append(w);
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** The command line for one operation (package-visible for golden tests). */
    static List<String> argv(LinkOp op) {
        return switch (op) {
            case LinkOp.CreateBridge b -> ip(null, "link", "add", "name", b.name(), "mtu", str(b.mtu()), "type", "bridge");
            case LinkOp.CreateVeth v -> ip(null, "link", "add", "name", v.hostName(), "mtu", str(v.mtu()), "type", "veth",
                    "peer", "name", v.peerName(), "mtu", str(v.mtu()), "netns", v.peerNetns().toString());
            case LinkOp.CreateMacvlan m -> {
                List<String> a = new ArrayList<>(List.of("link", "add", "link", m.parent(), "name", m.name()));
                if (m.mtu() > 0) {
                    a.addAll(List.of("mtu", str(m.mtu())));
                }
                a.addAll(List.of("netns", m.netns().toString(), "type", "macvlan", "mode", m.mode()));
                yield ip(null, a.toArray(String[]::new));
            }
            case LinkOp.SetSysctl s -> {
                List<String> a = new ArrayList<>();
                if (s.netns() != null) {
                    a.addAll(List.of("nsenter", "--net=" + s.netns()));
                }
                a.addAll(List.of("sysctl", "-qw", s.key() + "=" + s.value()));
                yield a;
            }
            case LinkOp.SetMaster m -> ip(null, "link", "set", "dev", m.link(), "master", m.bridge());
            case LinkOp.SetHairpin h -> ip(null, "link", "set", "dev", h.link(), "type", "bridge_slave", "hairpin", h.on() ? "on" : "off");
            case LinkOp.SetMac m -> ip(m.netns(), "link", "set", "dev", m.link(), "address", m.mac());
            case LinkOp.SetMtu m -> ip(m.netns(), "link", "set", "dev", m.link(), "mtu", str(m.mtu()));
            case LinkOp.AddAddress a -> a.cidr().contains(":")
                    ? ip(a.netns(), "-6", "addr", "replace", a.cidr(), "dev", a.link(), "nodad")
                    : ip(a.netns(), "addr", "replace", a.cidr(), "dev", a.link());
            case LinkOp.SetUp u -> ip(u.netns(), "link", "set", "dev", u.link(), "up");
            case LinkOp.SetDown d -> ip(d.netns(), "link", "set", "dev", d.link(), "down");
            case LinkOp.AddRoute r -> {
                boolean v6 = (r.gateway() != null && r.gateway().contains(":")) || r.destination().contains(":");
                List<String> a = new ArrayList<>(v6 ? List.of("-6", "route", "replace", r.destination()) : List.of("route", "replace", r.destination()));
                if (r.gateway() != null) {
                    a.addAll(List.of("via", r.gateway()));
                }
                if (r.device() != null) {
                    a.addAll(List.of("dev", r.device()));
                }
                yield ip(r.netns(), a.toArray(String[]::new));
            }
            case LinkOp.DeleteLink d -> ip(d.netns(), "link", "del", "dev", d.link());
        };
    }

    /**
     * Asks the kernel to create a link of the type without a parent: "Unknown device type" means
     * the type is missing; any other answer (usually a complaint about the missing parent) means it
     * exists. A link that did get created is deleted at once.
     */
    @Override
    public boolean supportsKind(String kind) {
        String probe = "btprobe" + Long.toHexString(System.nanoTime() & 0xFFFFFF);
        Cmd.Result r = Cmd.run(ip(null, "link", "add", "name", probe, "type", kind));
        if (r.ok()) {
            Cmd.run(ip(null, "link", "del", "dev", probe));
            return true;
        }
        return !r.stderr().contains("Unknown device type");
    }

    @Override
    public List<LinkInfo> list(Path netns) {
        String json = Cmd.run(ip(netns, "-j", "-d", "link", "show")).orThrow().stdout();
        List<LinkInfo> out = new ArrayList<>();
        for (JsonNode n : parse(json)) {
            boolean up = false;
            for (JsonNode f : n.path("flags")) {
                up |= "UP".equals(f.asString());
            }
            String master = n.path("master").asString(null);
            out.add(new LinkInfo(n.path("ifname").asString(), n.path("ifindex").asInt(),
                    n.path("linkinfo").path("info_kind").asString(""), master, up,
                    n.path("address").asString(""), n.path("mtu").asInt()));
        }
        return out;
    }

    @Override
    public List<String> ipv4Addresses(Path netns, String link) {
        Cmd.Result r = Cmd.run(ip(netns, "-j", "-4", "addr", "show", "dev", link));
        if (!r.ok()) {
            if (r.stderr().contains("does not exist") || r.stderr().contains("Cannot find device")) {
                return List.of();
            }
            r.orThrow();
        }
        List<String> out = new ArrayList<>();
        for (JsonNode n : parse(r.stdout())) {
            for (JsonNode a : n.path("addr_info")) {
                out.add(a.path("local").asString() + "/" + a.path("prefixlen").asInt());
            }
        }
        return out;
    }

    private static JsonNode parse(String json) {
        if (json.isBlank()) {
            return Json.mapper().createArrayNode();
        }
        try {
            return Json.mapper().readTree(json);
        } catch (RuntimeException e) {
            throw BerthException.internal("cannot parse output of ip -j", e);
        }
    }

    private static List<String> ip(Path netns, String... args) {
        List<String> argv = new ArrayList<>();
        if (netns != null) {
            argv.add("nsenter");
            argv.add("--net=" + netns);
        }
        argv.add("ip");
        argv.addAll(List.of(args));
        return argv;
    }

    private static String str(int i) {
        return Integer.toString(i);
    }
}
