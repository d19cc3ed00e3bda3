package dev.berth.cli;

import dev.berth.common.BerthException;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Parses {@code -p [ip:][hostPort:]containerPort[/proto]} (with ranges) as docker's nat package. */
final class Ports {
    private Ports() {}

    static void parse(String spec, ObjectNode exposed, ObjectNode bindings) {
        String proto = "tcp";
        String s = spec;
        int slash = s.lastIndexOf('/');
        if (slash >= 0) {
            proto = s.substring(slash + 1).toLowerCase();
            s = s.substring(0, slash);
            if (!proto.equals("tcp") && !proto.equals("udp") && !proto.equals("sctp")) {
                throw BerthException.invalid("invalid proto: %s", proto);
            }
        }
        String ip = "";
        String hostPart = "";
        String containerPart;
        if (s.startsWith("[")) { // [ipv6]:host:container
            int close = s.indexOf(']');
            ip = s.substring(1, close);
            s = s.substring(close + 2);
            int c = s.indexOf(':');
            hostPart = s.substring(0, c);
            containerPart = s.substring(c + 1);
        } else {
            String[] parts = s.split(":", -1);
            switch (parts.length) {
                case 1 -> containerPart = parts[0];
                case 2 -> {
                    hostPart = parts[0];
                    containerPart = parts[1];
                }
                case 3 -> {
                    ip = parts[0];
                    hostPart = parts[1];
                    containerPart = parts[2];
                }
                default -> throw BerthException.invalid("invalid publish opts format (should be name=value but got '%s')", spec);
            }
        }
        if (containerPart.isEmpty()) {
            throw BerthException.invalid("no port specified: %s<empty>", spec);
        }
        int[] cr = range(containerPart, "invalid containerPort: " + containerPart);
        int[] hr = hostPart.isEmpty() ? null : range(hostPart, "invalid hostPort: " + hostPart);
        int count = cr[1] - cr[0] + 1;
        if (hr != null && hr[1] - hr[0] + 1 != count && hr[0] != hr[1]) {
            throw BerthException.invalid("invalid ranges specified for container and host Ports: %s and %s", containerPart, hostPart);
        }
        for (int i = 0; i < count; i++) {
            String key = (cr[0] + i) + "/" + proto;
            exposed.putObject(key);
            ArrayNode list = bindings.has(key) ? (ArrayNode) bindings.get(key) : bindings.putArray(key);
            String hp = hr == null ? "" : hr[0] == hr[1] || hr[1] - hr[0] + 1 != count
                    ? (hr[0] == hr[1] ? String.valueOf(hr[0]) : hr[0] + "-" + hr[1]) : String.valueOf(hr[0] + i);
            list.addObject().put("HostIp", ip).put("HostPort", hp);
        }
    }

    private static int[] range(String s, String error) {
        try {
            int dash = s.indexOf('-');
            int a = Integer.parseInt(dash < 0 ? s : s.substring(0, dash));
            int b = dash < 0 ? a : Integer.parseInt(s.substring(dash + 1));
            if (a < 0 || b > 65535 || b < a) {
                throw BerthException.invalid(error);
            }
            return new int[] {a, b};
        } catch (NumberFormatException e) {
            throw BerthException.invalid(error);
        }
    }
}
