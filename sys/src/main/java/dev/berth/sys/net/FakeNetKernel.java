package dev.berth.sys.net;

import dev.berth.common.BerthException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * An in-memory kernel for tests without root: links, namespaces, rules and sysctls are kept in
 * maps, every operation is logged, and the state can be inspected. Behaves like the real one
 * where callers rely on it (idempotent rule apply/remove, veth peers vanish with their host end,
 * duplicate link names fail). Thread-safe (synchronized).
 */
public final class FakeNetKernel {
    private final List<String> log = new ArrayList<>();
    /** netns path ("" = host) → link name → link. */
    private final Map<String, Map<String, LinkInfo>> links = new HashMap<>();
    private final Map<String, List<String>> addrs = new HashMap<>();
    private final Map<String, String> peers = new HashMap<>();
    private final Set<String> namespaces = new LinkedHashSet<>();
    private final Set<String> chains = new LinkedHashSet<>();
    private final Set<Rule> rules = new LinkedHashSet<>();
    private final Set<String> chains6 = new LinkedHashSet<>();
    private final Set<Rule> rules6 = new LinkedHashSet<>();
    private final Map<String, String> sysctls = new LinkedHashMap<>();
    private final Set<Integer> busyPorts = new HashSet<>();
    private int nextIndex = 10;

    public FakeNetKernel() {
        links.put("", new LinkedHashMap<>());
        links.get("").put("lo", new LinkInfo("lo", 1, "", null, true, "00:00:00:00:00:00", 65536));
        sysctls.put("net.ipv4.ip_forward", "0");
    }

    /** The kernel bundle backed by this fake. */
    public NetKernel kernel() {
        return new NetKernel(new Links(), new Netns(), new Filter(chains, rules, ""), new Sys(), (proto, ip, port) -> isFree(port),
                new Sockets(), new Filter(chains6, rules6, "6"));
    }

    /** Tests get loopback sockets in the host namespace (bound to any free port). */
    private final class Sockets implements NetnsSockets {
        @Override
        public java.nio.channels.DatagramChannel openUdp(Path netns, java.net.InetSocketAddress bind) throws java.io.IOException {
            var ch = java.nio.channels.DatagramChannel.open(java.net.StandardProtocolFamily.INET);
            ch.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
            synchronized (FakeNetKernel.this) {
                log.add("udp socket in " + netns + " for " + bind);
            }
            return ch;
        }

        @Override
        public java.nio.channels.ServerSocketChannel openTcp(Path netns, java.net.InetSocketAddress bind) throws java.io.IOException {
            var ch = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.INET);
            ch.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
            synchronized (FakeNetKernel.this) {
                log.add("tcp socket in " + netns + " for " + bind);
            }
            return ch;
        }
    }

    /** The IPv6 (ip6tables) rules. */
    public synchronized Set<Rule> rules6() {
        return new LinkedHashSet<>(rules6);
    }

    public synchronized List<String> log() {
        return List.copyOf(log);
    }

    public synchronized Set<String> namespaces() {
        return Set.copyOf(namespaces);
    }

    public synchronized Set<Rule> rules() {
        return new LinkedHashSet<>(rules);
    }

    public synchronized Set<String> chains() {
        return Set.copyOf(chains);
    }

    public synchronized List<LinkInfo> hostLinks() {
        return List.copyOf(links.get("").values());
    }

    public synchronized Map<String, String> sysctls() {
        return Map.copyOf(sysctls);
    }

    /** Adds a host link (e.g. a macvlan parent), as if created by someone else. */
    public synchronized void addHostLink(String name, String kind) {
        add(null, name, kind);
    }

    /** Marks a host port as bound by someone else. */
    public synchronized void occupyPort(int port) {
        busyPorts.add(port);
    }

    private synchronized boolean isFree(int port) {
        return !busyPorts.contains(port);
    }

    private static String key(Path netns) {
        return netns == null ? "" : netns.toString();
    }

    private Map<String, LinkInfo> ns(Path netns) {
        Map<String, LinkInfo> m = links.get(key(netns));
        if (m == null) {
            throw new BerthException(dev.berth.common.ErrorKind.INTERNAL, "nsenter: cannot open " + netns);
        }
        return m;
    }

    private void update(Path netns, String name, java.util.function.UnaryOperator<LinkInfo> f) {
        LinkInfo l = ns(netns).get(name);
        if (l == null) {
            throw new BerthException(dev.berth.common.ErrorKind.INTERNAL, "Cannot find device \"" + name + "\"");
        }
        ns(netns).put(name, f.apply(l));
    }

    private void add(Path netns, String name, String kind) {
        if (ns(netns).containsKey(name)) {
            throw new BerthException(dev.berth.common.ErrorKind.INTERNAL, "RTNETLINK answers: File exists");
        }
        ns(netns).put(name, new LinkInfo(name, nextIndex++, kind, null, false, "", 1500));
    }

    private final class Links implements LinkOps {
        @Override
        public void apply(LinkOp op) {
            synchronized (FakeNetKernel.this) {
                log.add(op.toString());
                switch (op) {
                    case LinkOp.CreateBridge b -> add(null, b.name(), "bridge");
                    case LinkOp.CreateVeth v -> {
                        add(null, v.hostName(), "veth");
                        add(v.peerNetns(), v.peerName(), "veth");
                        peers.put(v.hostName(), key(v.peerNetns()) + "|" + v.peerName());
                    }
                    case LinkOp.CreateMacvlan m -> {
                        if (ns(null).get(m.parent()) == null) {
                            throw new BerthException(dev.berth.common.ErrorKind.INTERNAL, "Cannot find device \"" + m.parent() + "\"");
                        }
                        add(m.netns(), m.name(), "macvlan");
                    }
                    case LinkOp.SetSysctl sc -> ns(sc.netns());
                    case LinkOp.SetMaster m -> update(null, m.link(), l -> new LinkInfo(l.name(), l.index(), l.kind(), m.bridge(), l.up(), l.mac(), l.mtu()));
                    case LinkOp.SetHairpin h -> update(null, h.link(), l -> l);
                    case LinkOp.SetMac m -> update(m.netns(), m.link(), l -> new LinkInfo(l.name(), l.index(), l.kind(), l.master(), l.up(), m.mac(), l.mtu()));
                    case LinkOp.SetMtu m -> update(m.netns(), m.link(), l -> new LinkInfo(l.name(), l.index(), l.kind(), l.master(), l.up(), l.mac(), m.mtu()));
                    case LinkOp.AddAddress a -> {
                        update(a.netns(), a.link(), l -> l);
                        List<String> list = addrs.computeIfAbsent(key(a.netns()) + "|" + a.link(), k -> new ArrayList<>());
                        if (!list.contains(a.cidr())) {
                            list.add(a.cidr());
                        }
                    }
                    case LinkOp.SetUp u -> update(u.netns(), u.link(), l -> new LinkInfo(l.name(), l.index(), l.kind(), l.master(), true, l.mac(), l.mtu()));
                    case LinkOp.SetDown d -> update(d.netns(), d.link(), l -> new LinkInfo(l.name(), l.index(), l.kind(), l.master(), false, l.mac(), l.mtu()));
                    case LinkOp.AddRoute r -> ns(r.netns());
                    case LinkOp.DeleteLink d -> {
                        Map<String, LinkInfo> m = links.get(key(d.netns()));
                        if (m != null && m.remove(d.link()) != null) {
                            addrs.remove(key(d.netns()) + "|" + d.link());
                            String peer = peers.remove(d.link());
                            if (peer != null) {
                                String[] p = peer.split("\\|", 2);
                                Map<String, LinkInfo> pm = links.get(p[0]);
                                if (pm != null) {
                                    pm.remove(p[1]);
                                }
                            }
                        }
                    }
                }
            }
        }

        /** Like this host's kernel: no ipvlan and no dummy links. */
        @Override
        public boolean supportsKind(String kind) {
            return !kind.equals("ipvlan") && !kind.equals("dummy");
        }

        @Override
        public List<LinkInfo> list(Path netns) {
            synchronized (FakeNetKernel.this) {
                return List.copyOf(ns(netns).values());
            }
        }

        @Override
        public List<String> ipv4Addresses(Path netns, String link) {
            synchronized (FakeNetKernel.this) {
                return addrs.getOrDefault(key(netns) + "|" + link, List.of()).stream().filter(a -> !a.contains(":")).toList();
            }
        }
    }

    private final class Netns implements NetnsOps {
        @Override
        public void create(Path path) {
            synchronized (FakeNetKernel.this) {
                log.add("netns create " + path);
                if (!namespaces.add(path.toString())) {
                    throw BerthException.conflict("network namespace %s already exists", path);
                }
                Map<String, LinkInfo> m = new LinkedHashMap<>();
                m.put("lo", new LinkInfo("lo", 1, "", null, false, "00:00:00:00:00:00", 65536));
                links.put(path.toString(), m);
            }
        }

        @Override
        public void delete(Path path) {
            synchronized (FakeNetKernel.this) {
                log.add("netns delete " + path);
                namespaces.remove(path.toString());
                links.remove(path.toString());
            }
        }

        @Override
        public boolean exists(Path path) {
            synchronized (FakeNetKernel.this) {
                return namespaces.contains(path.toString());
            }
        }
    }

    private final class Filter implements PacketFilter {
        private final Set<String> chains;
        private final Set<Rule> rules;
        private final String family;

        Filter(Set<String> chains, Set<Rule> rules, String family) {
            this.chains = chains;
            this.rules = rules;
            this.family = family;
        }

        @Override
        public void apply(RuleSet set) {
            synchronized (FakeNetKernel.this) {
                log.add("apply" + family + " " + set.name());
                set.chains().forEach(c -> chains.add(c.table() + "/" + c.name()));
                rules.addAll(set.rules());
            }
        }

        @Override
        public void remove(RuleSet set) {
            synchronized (FakeNetKernel.this) {
                log.add("remove" + family + " " + set.name());
                set.rules().forEach(rules::remove);
                for (RuleSet.Chain c : set.chains()) {
                    String name = c.name();
                    Predicate<Rule> inChain = r -> r.table().equals(c.table()) && r.chain().equals(name);
                    rules.removeIf(inChain);
                    chains.remove(c.table() + "/" + name);
                }
            }
        }

        @Override
        public boolean exists(Rule rule) {
            synchronized (FakeNetKernel.this) {
                return rules.contains(rule);
            }
        }

        @Override
        public String backend() {
            return "fake";
        }
    }

    private final class Sys implements Sysctl {
        @Override
        public Optional<String> read(String key) {
            synchronized (FakeNetKernel.this) {
                return Optional.ofNullable(sysctls.get(key)).or(() -> key.contains(".conf.") ? Optional.of("0") : Optional.empty());
            }
        }

        @Override
        public void write(String key, String value) {
            synchronized (FakeNetKernel.this) {
                log.add("sysctl " + key + "=" + value);
                sysctls.put(key, value);
            }
        }
    }
}
