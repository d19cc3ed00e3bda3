package dev.berth.sys.net;

import java.util.List;

/**
 * One iptables rule as data. {@code args} are the match and target arguments as given after
 * {@code -A <chain>}, e.g. {@code ["-o", "berth0", "-j", "ACCEPT"]}.
 *
 * @param insert whether the rule goes to the top of its chain (jumps from built-in chains, so
 *               they run before other software's rules) instead of the end
 */
public record Rule(String table, String chain, boolean insert, List<String> args) {
    public Rule {
        args = List.copyOf(args);
    }

    public static Rule append(String table, String chain, String... args) {
        return new Rule(table, chain, false, List.of(args));
    }

    public static Rule insert(String table, String chain, String... args) {
        return new Rule(table, chain, true, List.of(args));
    }

    /** The rule in {@code iptables-save}-like form, e.g. {@code -t nat -A BERTH -p tcp ...}; used in golden files and messages. */
    public String render() {
        return "-t " + table + (insert ? " -I " : " -A ") + chain + (args.isEmpty() ? "" : " " + String.join(" ", args));
    }
}
