package dev.berth.builder.exec;

import dev.berth.common.BerthException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** EXPOSE port specs ({@code 80}, {@code 80/udp}, {@code 8000-8002/tcp}) to {@code port/proto} keys. */
final class Ports {
    private Ports() {}

    static List<String> keys(String spec) {
        String proto = "tcp";
        String port = spec;
        int slash = spec.lastIndexOf('/');
        if (slash >= 0) {
            proto = spec.substring(slash + 1).toLowerCase(Locale.ROOT);
            port = spec.substring(0, slash);
            if (proto.isEmpty()) {
                proto = "tcp";
            }
        }
        if (!proto.equals("tcp") && !proto.equals("udp") && !proto.equals("sctp")) {
            throw BerthException.invalid("invalid proto: %s", proto);
        }
        int colon = port.lastIndexOf(':');
        if (colon >= 0) {
            port = port.substring(colon + 1);
        }
        int start;
        int end;
        try {
            int dash = port.indexOf('-');
            if (dash > 0) {
                start = Integer.parseInt(port.substring(0, dash));
                end = Integer.parseInt(port.substring(dash + 1));
            } else {
                start = Integer.parseInt(port);
                end = start;
            }
        } catch (NumberFormatException e) {
            throw BerthException.invalid("invalid containerPort: %s", port);
        }
        if (start < 0 || end > 65535 || end < start) {
            throw BerthException.invalid("invalid containerPort: %s", port);
        }
        List<String> out = new ArrayList<>();
        for (int p = start; p <= end; p++) {
            out.add(p + "/" + proto);
        }
        return out;
    }
}
