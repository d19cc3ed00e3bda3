package dev.berth.sys.net;

import java.util.List;

/**
 * A named group of rules installed and removed together.
 *
 * @param chains user chains this set owns: created by {@link PacketFilter#apply} before the
 *               rules, flushed and deleted by {@link PacketFilter#remove} after them
 * @param rules in order
 */
public record RuleSet(String name, List<Chain> chains, List<Rule> rules) {
    public RuleSet {
        chains = List.copyOf(chains);
        rules = List.copyOf(rules);
    }

    public record Chain(String table, String name) {}

    /** One line per chain and rule; the golden-file form. */
    public String render() {
        StringBuilder sb = new StringBuilder("# ruleset ").append(name).append('\n');
        for (Chain c : chains) {
            sb.append("-t ").append(c.table()).append(" -N ").append(c.name()).append('\n');
        }
        for (Rule r : rules) {
            sb.append(r.render()).append('\n');
        }
        return sb.toString();
    }
}
