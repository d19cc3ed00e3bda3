package dev.berth.compose.loader;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the short port syntax {@code [[host_ip:]published:]target[/protocol]} (ranges allowed,
 * IPv6 host in brackets) into long-syntax maps. Pure utility.
 */
public final class Ports {
    private Ports() {}

    public static List<Map<String, Object>> parse(String spec) {
        String s = spec.strip();
        String proto = "tcp";
        int slash = s.lastIndexOf('/');
        if (slash >= 0) {
            proto = s.substring(slash + 1);
            s = s.substring(0, slash);
        }
        String hostIp = null;
        String published = null;
        String target;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            hostIp = s.substring(1, close);
            s = s.substring(close + 2);
        }
        int last = s.lastIndexOf(':');
        if (last < 0) {
            target = s;
        } else {
            target = s.substring(last + 1);
            String rest = s.substring(0, last);
            int c = rest.lastIndexOf(':');
            if (c >= 0) {
                hostIp = rest.substring(0, c);
                published = rest.substring(c + 1);
            } else if (hostIp == null && rest.contains(".")) {
                hostIp = rest;
            } else {
                published = rest;
            }
        }
        if (published != null && published.isEmpty()) {
            published = null;
        }
        int[] t = range(target, spec);
        int[] p = published == null ? null : range(published, spec);
        List<Map<String, Object>> out = new ArrayList<>();
        int n = t[1] - t[0] + 1;
        if (p != null && p[1] - p[0] + 1 != n && p[1] != p[0] && n > 1) {
            throw Normalizer.invalid("invalid port range in " + spec);
        }
        for (int i = 0; i < n; i++) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("mode", "ingress");
            if (hostIp != null && !hostIp.isEmpty()) {
                m.put("host_ip", hostIp);
            }
            m.put("target", (long) (t[0] + i));
            if (p != null) {
                m.put("published", p[0] == p[1] && n == 1 ? Integer.toString(p[0])
                        : n == 1 ? p[0] + "-" + p[1] : Integer.toString(p[0] + i));
            }
            m.put("protocol", proto);
            out.add(m);
        }
        return out;
    }

    private static int[] range(String r, String spec) {
        try {
            int dash = r.indexOf('-');
            if (dash < 0) {
                int v = Integer.parseInt(r);
                return new int[] {v, v};
            }
            return new int[] {Integer.parseInt(r.substring(0, dash)), Integer.parseInt(r.substring(dash + 1))};
        } catch (NumberFormatException e) {
            throw Normalizer.invalid("invalid port \"" + spec + "\": not a number");
        }
    }
}
