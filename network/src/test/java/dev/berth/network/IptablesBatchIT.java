package dev.berth.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.sys.net.IptablesFilter;
import dev.berth.sys.net.PacketFilter;
import dev.berth.sys.net.RuleSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The batched iptables/ip6tables path (iptables-save + iptables-restore) on the real kernel: every
 * rule BridgeRules writes must be recognised in iptables-save's canonical form, so re-applying adds
 * no duplicates, and removal leaves nothing. Chains {@code BTIPB*}, bridge name {@code btipb0}
 * (need not exist); no traffic.
 */
class IptablesBatchIT {
    @Test
    void reapplyAddsNoDuplicatesAndRemoveLeavesNothing() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
        BridgeRules rules = new BridgeRules("BTIPB");
        List<PortMapping> ports = List.of(new PortMapping("tcp", "0.0.0.0", 18555, 80), new PortMapping("udp", "127.0.0.1", 18556, 53));
        check("iptables-save", IptablesFilter.detect(), List.of(rules.base(),
                rules.network("n1", "btipb0", "10.233.0.0/24", false),
                rules.network("n2", "btipb1", "10.234.0.0/24", true, false, true, false),
                rules.network("n3", "btipb2", "10.235.0.0/24", false, false, false, false),
                rules.sandbox("c1", "btipb0", "10.233.0.2", ports)));
        IptablesFilter f6 = IptablesFilter.detect6();
        if (f6 != null) {
            check("ip6tables-save", f6, List.of(rules.base(),
                    rules.network("n6", "btipb0", "fd00:233::/64", false, false, true, true),
                    rules.sandbox("c6", "btipb0", "fd00:233::2", List.of(new PortMapping("tcp", "::", 18557, 80)))));
        }
    }

    private static void check(String save, PacketFilter f, List<RuleSet> sets) throws Exception {
        try {
            sets.forEach(f::apply);
            String once = ours(save);
            assertThat(once).contains("BTIPB");
            sets.forEach(f::apply);
            assertThat(ours(save)).isEqualTo(once);
            Map<String, Long> counts = Arrays.stream(once.split("\n")).filter(l -> l.startsWith("-A"))
                    .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            assertThat(counts.values()).allMatch(c -> c == 1L);
            long expected = sets.stream().mapToLong(s -> s.rules().size()).sum();
            assertThat(counts).hasSize((int) expected);
        } finally {
            for (int i = sets.size() - 1; i >= 0; i--) {
                f.remove(sets.get(i));
            }
        }
        assertThat(ours(save)).isEmpty();
    }

    /** The lines of iptables-save mentioning our chains or bridges, counters stripped. */
    private static String ours(String save) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(save).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return Arrays.stream(out.split("\n")).filter(l -> l.contains("BTIPB") || l.contains("btipb") || l.contains("10.23") && l.contains("/24"))
                .map(l -> l.replaceAll("\\[\\d+:\\d+\\]", "")).collect(Collectors.joining("\n"));
    }
}
