package dev.berth.sys.net;

/**
 * IPv4 packet filter and NAT rules (iptables). Both operations are idempotent: {@link #apply}
 * adds only the rules that are missing (so re-applying after a daemon restart never duplicates
 * rules), {@link #remove} deletes only those present. Thread-safe (iptables' own lock, {@code -w}).
 */
public interface PacketFilter {
    /** Creates the set's chains if missing, then adds each missing rule. */
    void apply(RuleSet set);

    /** Deletes each present rule of the set, then flushes and deletes the chains it owns. Absent is not an error. */
    void remove(RuleSet set);

    /** Whether the rule is present. */
    boolean exists(Rule rule);

    /** Which backend is in use, e.g. "iptables (nf_tables)". */
    String backend();
}
