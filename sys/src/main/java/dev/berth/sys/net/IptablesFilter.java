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

    /**
     * One {@code iptables-save} to see what exists, then ONE {@code iptables-restore --noflush}
     * that adds the missing chains and rules (a transaction per table). Rules are compared in
     * iptables-save's canonical form, which is how {@link Rule}s are written; falls back to the
     * rule-by-rule commands if the batch is refused.
     */
    @Override
    public void apply(RuleSet set) {
        if (set.chains().isEmpty() && set.rules().isEmpty()) {
            return;
        }
        Saved saved = save();
        if (saved == null) {
            applyOneByOne(set);
            return;
        }
        Batch b = applyBatch(set, saved);
        if (!b.isEmpty() && !restore(b)) {
            applyOneByOne(set);
        }
    }

    /** The iptables-restore input that adds what {@code saved} lacks of {@code set}. */
    static Batch applyBatch(RuleSet set, Saved saved) {
        Batch b = new Batch();
        for (RuleSet.Chain c : set.chains()) {
            if (!saved.hasChain(c.table(), c.name())) {
                b.line(c.table(), ":" + c.name() + " - [0:0]");
            }
        }
        for (Rule rule : set.rules()) {
            if (saved.count(rule) == 0) {
                b.line(rule.table(), (rule.insert() ? "-I " + rule.chain() + " 1" : "-A " + rule.chain()) + args(rule));
            }
        }
        return b;
    }

    /**
     * Deletes every copy of the set's rules that {@code iptables-save} shows, then flushes and
     * deletes the owned chains, in one {@code iptables-restore --noflush}. A rule not found in the
     * save (should its canonical form differ) is still checked and deleted with {@code -C}/{@code -D}.
     */
    @Override
    public void remove(RuleSet set) {
        if (set.chains().isEmpty() && set.rules().isEmpty()) {
            return;
        }
        Saved saved = save();
        if (saved == null) {
            removeOneByOne(set);
            return;
        }
        List<Rule> unseen = new ArrayList<>();
        Batch b = removeBatch(set, saved, unseen);
        if (!unseen.isEmpty()) {
            removeOneByOne(new RuleSet(set.name(), List.of(), unseen));
        }
        if (!b.isEmpty() && !restore(b)) {
            removeOneByOne(set);
        }
    }

    /**
     * The iptables-restore input that deletes every copy of the set's rules {@code saved} shows
     * (reverse order), then flushes and deletes its chains; rules whose chain exists but that the
     * save does not show go to {@code unseen} (checked one by one).
     */
    static Batch removeBatch(RuleSet set, Saved saved, List<Rule> unseen) {
        List<Rule> rules = new ArrayList<>(set.rules());
        java.util.Collections.reverse(rules);
        Batch b = new Batch();
        for (Rule rule : rules) {
            int n = saved.count(rule);
            if (n == 0 && !saved.hasChain(rule.table(), rule.chain())) {
                continue; // its chain is gone, so is the rule
            }
            if (n == 0) {
                unseen.add(rule);
            }
            for (int i = 0; i < Math.min(n, 16); i++) {
                b.line(rule.table(), "-D " + rule.chain() + args(rule));
            }
        }
        for (RuleSet.Chain c : set.chains()) {
            if (saved.hasChain(c.table(), c.name())) {
                b.line(c.table(), "-F " + c.name());
                b.line(c.table(), "-X " + c.name());
            }
        }
        return b;
    }

    private void applyOneByOne(RuleSet set) {
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

    private void removeOneByOne(RuleSet set) {
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

    /** " arg1 arg2 …" as iptables-save writes them (our arguments never contain spaces). */
    private static String args(Rule rule) {
        return rule.args().isEmpty() ? "" : " " + String.join(" ", rule.args());
    }

    /** The chains and rule lines per table, from one iptables-save; null if it cannot run. */
    private Saved save() {
        if (binary == null) {
            throw BerthException.unavailable("no working iptables found: install iptables (nf_tables or legacy) to use bridge networking");
        }
        Cmd.Result r;
        try {
            r = Cmd.run(List.of(binary + "-save"));
        } catch (BerthException e) {
            return null;
        }
        return r.ok() ? Saved.parse(r.stdout()) : null;
    }

    /** Runs one iptables-restore --noflush; false (after logging) if it was refused. */
    private boolean restore(Batch b) {
        Cmd.Result r;
        try {
            r = Cmd.run(List.of(binary + "-restore", "-w", "--noflush"), b.render());
        } catch (BerthException e) {
            return false;
        }
        if (!r.ok()) {
            System.getLogger(IptablesFilter.class.getName()).log(System.Logger.Level.DEBUG,
                    "iptables-restore refused the batch (" + r.stderr().strip() + "); falling back to single commands");
        }
        return r.ok();
    }

    /** What iptables-save showed, per table. */
    record Saved(java.util.Map<String, java.util.Set<String>> chains, java.util.Map<String, java.util.Map<String, Integer>> rules) {
        static Saved parse(String text) {
            java.util.Map<String, java.util.Set<String>> chains = new java.util.HashMap<>();
            java.util.Map<String, java.util.Map<String, Integer>> rules = new java.util.HashMap<>();
            String table = null;
            for (String line : text.split("\n")) {
                if (line.startsWith("*")) {
                    table = line.substring(1).strip();
                } else if (table != null && line.startsWith(":")) {
                    int sp = line.indexOf(' ');
                    chains.computeIfAbsent(table, t -> new java.util.HashSet<>()).add(sp < 0 ? line.substring(1) : line.substring(1, sp));
                } else if (table != null && line.startsWith("-A ")) {
                    rules.computeIfAbsent(table, t -> new java.util.HashMap<>()).merge(line.strip(), 1, Integer::sum);
                }
            }
            return new Saved(chains, rules);
        }

        boolean hasChain(String table, String chain) {
            return chains.getOrDefault(table, java.util.Set.of()).contains(chain);
        }

        int count(Rule rule) {
            return rules.getOrDefault(rule.table(), java.util.Map.of()).getOrDefault("-A " + rule.chain() + args(rule), 0);
        }
    }

    /** iptables-restore input: lines grouped per table, each table one COMMIT. */
    static final class Batch {
        private final java.util.Map<String, List<String>> tables = new java.util.LinkedHashMap<>();

        void line(String table, String line) {
            tables.computeIfAbsent(table, t -> new ArrayList<>()).add(line);
        }

        boolean isEmpty() {
            return tables.isEmpty();
        }

        String render() {
            StringBuilder sb = new StringBuilder();
            tables.forEach((t, lines) -> {
                sb.append('*').append(t).append('\n');
                lines.forEach(l -> sb.append(l).append('\n'));
                sb.append("COMMIT\n");
            });
            return sb.toString();
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
