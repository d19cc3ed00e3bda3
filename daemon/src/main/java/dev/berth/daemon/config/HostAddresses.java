package dev.berth.daemon.config;

import dev.berth.common.BerthException;
import java.util.ArrayList;
import java.util.List;

/** Normalizes {@code -H} values as dockerd does ({@code opts.ParseHost}). Pure functions. */
public final class HostAddresses {
    private HostAddresses() {}

    public static List<String> normalize(List<String> hosts, boolean tls) {
        List<String> out = new ArrayList<>();
        for (String h : hosts) {
            String n = normalize(h, tls);
            if (!out.contains(n)) {
                out.add(n);
            }
        }
        return out;
    }

    /**
     * {@code ""} or {@code unix://} → the default socket; {@code tcp://}, {@code tcp://:p},
     * {@code tcp://host} → filled in with 0.0.0.0 / 127.0.0.1 and port 2375 (2376 with TLS);
     * a bare {@code /path} is a unix socket. Anything else is INVALID_ARGUMENT.
     */
    public static String normalize(String host, boolean tls) {
        String h = host.trim();
        if (h.isEmpty() || h.equals("unix://")) {
            return DaemonOptions.DEFAULT_HOST;
        }
        if (h.startsWith("/")) {
            return "unix://" + h;
        }
        if (h.startsWith("unix://")) {
            return h;
        }
        if (h.startsWith("fd://")) {
            throw BerthException.invalid("socket activation (fd://) is not supported by berthd: use unix:// or tcp://");
        }
        if (h.startsWith("tcp://") || !h.contains("://")) {
            String rest = h.startsWith("tcp://") ? h.substring(6) : h;
            int slash = rest.indexOf('/');
            if (slash >= 0) {
                rest = rest.substring(0, slash);
            }
            String hostPart;
            String port;
            if (rest.startsWith("[")) {
                int close = rest.indexOf(']');
                if (close < 0) {
                    throw BerthException.invalid("invalid bind address format: %s", host);
                }
                hostPart = rest.substring(0, close + 1);
                port = rest.length() > close + 2 && rest.charAt(close + 1) == ':' ? rest.substring(close + 2) : "";
            } else {
                int colon = rest.lastIndexOf(':');
                hostPart = colon >= 0 ? rest.substring(0, colon) : rest;
                port = colon >= 0 ? rest.substring(colon + 1) : "";
            }
            if (hostPart.isEmpty()) {
                hostPart = h.startsWith("tcp://") ? "0.0.0.0" : "127.0.0.1";
            }
            if (port.isEmpty()) {
                port = tls ? "2376" : "2375";
            }
            try {
                int p = Integer.parseInt(port);
                if (p < 1 || p > 65535) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw BerthException.invalid("invalid bind address format: %s", host);
            }
            return "tcp://" + hostPart + ":" + port;
        }
        throw BerthException.invalid("Invalid bind address format: %s", host);
    }
}
