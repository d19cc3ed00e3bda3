package dev.berth.sys.net;

import dev.berth.common.BerthException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link PacketFilter} with the {@code iptables} command ({@code -w} waits for the xtables
 * lock). {@link #detect()} prefers the system's default {@code iptables} (nf_tables on Debian 12,
 * as Docker uses) and falls back to {@code iptables-legacy}. Thread-safe.
 */
public final class IptablesFilter implements PacketFilter {
    private final String binary;
    private final String version;

    public IptablesFilter(String binary, String version) {
        this.binary = binary;
        this.version = version;
    }

    /** Picks the first iptables variant that can list the nat table; if none works, every call fails clearly. */
    public static IptablesFilter detect() {
        for (String bin : List.of("iptables", "iptables-nft", "iptables-legacy")) {
            try {
                if (Cmd.run(List.of(bin, "-w", "-t", "nat", "-S", "POSTROUTING")).ok()) {
                    return new IptablesFilter(bin, Cmd.run(List.of(bin, "--version")).stdout().strip());
                }
            } catch (BerthException e) {
                // not installed: try the next one
            }
        }
        return new IptablesFilter(null, "none");
    }

    /** The IPv6 variant (ip6tables), or null if no ip6tables can list its nat table (no IPv6 NAT on this kernel). */
    public static IptablesFilter detect6() {
        for (String bin : List.of("ip6tables", "ip6tables-nft", "ip6tables-legacy")) {
            try {
                if (Cmd.run(List.of(bin, "-w", "-t", "nat", "-S", "POSTROUTING")).ok()) {
                    return new IptablesFilter(bin, Cmd.run(List.of(bin, "--version")).stdout().strip());
                }
            } catch (BerthException e) {
                // not installed: try the next one
            }
        }
        return null;
    }

    @Override
    public String backend() {
        return version;
    }

    @Override
    public void apply(RuleSet set) {
        for (RuleSet.Chain c : set.chains()) {
            if (!run(List.of("-t", c.table(), "-S", c.name())).ok()) {
                Cmd.Result r = run(List.of("-t", c.table(), "-N", c.name()));
                if (!r.ok() && !r.stderr().contains("exists")) {
                    r.orThrow();
                }
            }
        }
        for (Rule rule : set.rules()) {
            if (!exists(rule)) {
                List<String> a = new ArrayList<>(List.of("-t", rule.table()));
                if (rule.insert()) {
                    a.addAll(List.of("-I", rule.chain(), "1"));
                } else {
                    a.addAll(List.of("-A", rule.chain()));
                }
                a.addAll(rule.args());
                run(a).orThrow();
            }
        }
    }

    @Override
    public void remove(RuleSet set) {
        List<Rule> rules = new ArrayList<>(set.rules());
        java.util.Collections.reverse(rules);
        for (Rule rule : rules) {
            // Delete duplicates too (bounded), so nothing we added can survive.
            for (int i = 0; i < 16 && exists(rule); i++) {
                List<String> a = new ArrayList<>(List.of("-t", rule.table(), "-D", rule.chain()));
                a.addAll(rule.args());
                run(a).orThrow();
            }
        }
        for (RuleSet.Chain c : set.chains()) {
            if (run(List.of("-t", c.table(), "-S", c.name())).ok()) {
                run(List.of("-t", c.table(), "-F", c.name())).orThrow();
                run(List.of("-t", c.table(), "-X", c.name())).orThrow();
            }
        }
    }

    @Override
    public boolean exists(Rule rule) {
        List<String> a = new ArrayList<>(List.of("-t", rule.table(), "-C", rule.chain()));
        a.addAll(rule.args());
        return run(a).ok();
    }

    private Cmd.Result run(List<String> args) {
        if (binary == null) {
            throw BerthException.unavailable("no working iptables found: install iptables (nf_tables or legacy) to use bridge networking");
        }
        List<String> argv = new ArrayList<>(List.of(binary, "-w"));
        argv.addAll(args);
        return Cmd.run(argv);
    }
}
