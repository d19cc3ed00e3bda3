package dev.berth.network;

import dev.berth.sys.net.Rule;
import dev.berth.sys.net.RuleSet;
import java.util.ArrayList;
import java.util.List;

/**
 * The iptables rules of bridge networking, computed as data (golden-tested). Three layers:
 * <ul>
 *   <li>{@link #base}: our own chains and the jumps into them from the built-in chains (own
 *       names, so Berth runs beside a real dockerd and its DOCKER chains);</li>
 *   <li>{@link #network}: per bridge network: outbound MASQUERADE, forwarding for the bridge,
 *       loopback-to-container MASQUERADE (with {@code route_localnet}), isolation;</li>
 *   <li>{@link #sandbox}: per container: DNAT for each published port, the FORWARD accept and
 *       the hairpin MASQUERADE (container reaching its own published port).</li>
 * </ul>
 * There is no userland proxy: ports are iptables only, as Docker with {@code userland-proxy=false}.
 * Pure and thread-safe.
 */
public final class BridgeRules {
    private final String natChain;
    private final String postChain;
    private final String fwdChain;

    /** @param chainPrefix e.g. "BERTH": chains are BERTH (nat), BERTH-POSTROUTING (nat), BERTH-FORWARD (filter) */
    public BridgeRules(String chainPrefix) {
        this.natChain = chainPrefix;
        this.postChain = chainPrefix + "-POSTROUTING";
        this.fwdChain = chainPrefix + "-FORWARD";
    }

    public RuleSet base() {
        return new RuleSet("base",
                List.of(new RuleSet.Chain("nat", natChain), new RuleSet.Chain("nat", postChain), new RuleSet.Chain("filter", fwdChain)),
                List.of(
                        Rule.insert("nat", "PREROUTING", "-m", "addrtype", "--dst-type", "LOCAL", "-j", natChain),
                        // From the host itself too, including 127.0.0.1 (no userland proxy).
                        Rule.insert("nat", "OUTPUT", "-m", "addrtype", "--dst-type", "LOCAL", "-j", natChain),
                        Rule.insert("nat", "POSTROUTING", "-j", postChain),
                        Rule.insert("filter", "FORWARD", "-j", fwdChain)));
    }

    /**
     * @param bridge the bridge device
     * @param subnet e.g. 172.30.0.0/16
     * @param internal no traffic in or out of the network (Docker's --internal)
     */
    public RuleSet network(String networkId, String bridge, String subnet, boolean internal) {
        return network(networkId, bridge, subnet, internal, true, true, false);
    }

    /**
     * @param icc whether containers on the bridge may talk to each other ({@code enable_icc})
     * @param masquerade whether outbound traffic is NATed ({@code enable_ip_masquerade})
     * @param ipv6 rules for ip6tables ({@code subnet} is then the IPv6 subnet; there is no loopback DNAT in IPv6)
     */
    public RuleSet network(String networkId, String bridge, String subnet, boolean internal, boolean icc, boolean masquerade, boolean ipv6) {
        List<Rule> r = new ArrayList<>();
        if (internal) {
            r.add(Rule.append("filter", fwdChain, "-i", bridge, "!", "-o", bridge, "-j", "DROP"));
            r.add(Rule.append("filter", fwdChain, "!", "-i", bridge, "-o", bridge, "-j", "DROP"));
            if (!icc) {
                r.add(Rule.append("filter", fwdChain, "-i", bridge, "-o", bridge, "-j", "DROP"));
            }
        } else {
            if (masquerade) {
                r.add(Rule.append("nat", postChain, "-s", subnet, "!", "-o", bridge, "-j", "MASQUERADE"));
            }
            if (!ipv6) {
                // Connections from the host's loopback DNAT'ed into the bridge need a routable source.
                r.add(Rule.append("nat", postChain, "-s", "127.0.0.0/8", "-o", bridge, "-j", "MASQUERADE"));
            }
            r.add(Rule.append("filter", fwdChain, "-o", bridge, "-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED", "-j", "ACCEPT"));
            r.add(Rule.append("filter", fwdChain, "-i", bridge, "!", "-o", bridge, "-j", "ACCEPT"));
            // enable_icc=false: containers on the bridge cannot reach each other (published ports are accepted above it).
            r.add(Rule.append("filter", fwdChain, "-i", bridge, "-o", bridge, "-j", icc ? "ACCEPT" : "DROP"));
            // Unsolicited traffic from elsewhere only reaches published ports (accepted above it).
            r.add(Rule.append("filter", fwdChain, "!", "-i", bridge, "-o", bridge, "-j", "DROP"));
        }
        return new RuleSet("network-" + networkId, List.of(), r);
    }

    /** The rules for one container's published ports on one bridge network. */
    public RuleSet sandbox(String containerId, String bridge, String containerIp, List<PortMapping> ports) {
        boolean v6 = containerIp.contains(":");
        String host = v6 ? "/128" : "/32";
        String any = v6 ? "::" : "0.0.0.0";
        List<Rule> r = new ArrayList<>();
        for (PortMapping p : ports) {
            String proto = p.proto();
            String cport = Integer.toString(p.containerPort());
            List<String> dnat = new ArrayList<>();
            if (!any.equals(p.hostIp())) {
                dnat.addAll(List.of("-d", p.hostIp() + host));
            }
            dnat.addAll(List.of("-p", proto, "-m", proto, "--dport", Integer.toString(p.hostPort()),
                    "-j", "DNAT", "--to-destination", (v6 ? "[" + containerIp + "]" : containerIp) + ":" + cport));
            r.add(new Rule("nat", natChain, false, dnat));
            r.add(Rule.insert("filter", fwdChain, "-d", containerIp + host, "!", "-i", bridge, "-o", bridge,
                    "-p", proto, "-m", proto, "--dport", cport, "-j", "ACCEPT"));
            r.add(Rule.append("nat", postChain, "-s", containerIp + host, "-d", containerIp + host,
                    "-p", proto, "-m", proto, "--dport", cport, "-j", "MASQUERADE"));
        }
        return new RuleSet("sandbox-" + containerId + (v6 ? "-v6" : ""), List.of(), r);
    }
}
