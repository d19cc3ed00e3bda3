package dev.berth.daemon.config;

import dev.berth.api.model.HostConfig;
import dev.berth.common.BerthException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Parsers for dockerd's structured daemon option values, with dockerd's error wording
 * (go-units {@code ParseUlimit}/{@code RAMInBytes}, {@code opts.PoolsOpt}, {@code opts.ValidateLabel}). Pure.
 */
final class ValueParsers {
    /** The rlimit names dockerd knows (go-units ulimitNameMapping). */
    static final Set<String> ULIMIT_NAMES = Set.of("core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue", "nice",
            "nofile", "nproc", "rss", "rtprio", "rttime", "sigpending", "stack");

    private ValueParsers() {}

    /** {@code name=soft[:hard]}; hard defaults to soft. */
    static HostConfig.Ulimit ulimit(String val) {
        int eq = val.indexOf('=');
        if (eq < 0) {
            throw BerthException.invalid("invalid ulimit argument: %s", val);
        }
        String name = val.substring(0, eq);
        if (!ULIMIT_NAMES.contains(name)) {
            throw BerthException.invalid("invalid ulimit type: %s", name);
        }
        String[] limits = val.substring(eq + 1).split(":", -1);
        if (limits.length > 2) {
            throw BerthException.invalid("too many limit value arguments - %s, can only have up to two, `soft[:hard]`", val.substring(eq + 1));
        }
        long soft = parseLong(limits[0]);
        long hard = limits.length == 2 ? parseLong(limits[1]) : soft;
        return checked(name, soft, hard);
    }

    static HostConfig.Ulimit checked(String name, long soft, long hard) {
        if (!ULIMIT_NAMES.contains(name)) {
            throw BerthException.invalid("invalid ulimit type: %s", name);
        }
        if (hard != -1 && soft > hard) {
            throw BerthException.invalid("ulimit soft limit must be less than or equal to hard limit: %d > %d", soft, hard);
        }
        return new HostConfig.Ulimit(name, soft, hard);
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw BerthException.invalid("strconv.ParseInt: parsing \"%s\": invalid syntax", s);
        }
    }

    /** go-units RAMInBytes: "64m", "1g", "1.5GiB", "1048576"; binary multiples. */
    static long ramInBytes(String s) {
        return dev.berth.common.HumanUnits.ramInBytes(s);
    }

    /** {@code base=10.10.0.0/16,size=24} (keys case-insensitive, as dockerd's CSV parser). */
    static NetworkDefaults.AddressPool pool(String value) {
        String base = null;
        Integer size = null;
        for (String field : value.split(",")) {
            String f = field.trim().toLowerCase(Locale.ROOT);
            int eq = f.indexOf('=');
            if (eq < 0) {
                throw BerthException.invalid("invalid field '%s' must be a key=value pair", field);
            }
            String key = f.substring(0, eq);
            String val = f.substring(eq + 1);
            switch (key) {
                case "base" -> base = val;
                case "size" -> {
                    try {
                        size = Integer.parseInt(val);
                    } catch (NumberFormatException e) {
                        throw BerthException.invalid("invalid size value: \"%s\" (must be integer): strconv.Atoi: parsing \"%s\": invalid syntax", value, val);
                    }
                }
                default -> throw BerthException.invalid("unexpected key '%s' in '%s'", key, field);
            }
        }
        return checkedPool(base, size == null ? 0 : size);
    }

    /** A pool must be an IPv4 CIDR and its subnet size no larger than the base. */
    static NetworkDefaults.AddressPool checkedPool(String base, int size) {
        if (base == null || base.isEmpty()) {
            throw BerthException.invalid("invalid default address pool: base is required");
        }
        int slash = base.indexOf('/');
        int prefix;
        try {
            prefix = Integer.parseInt(base.substring(slash + 1));
            if (slash < 0 || prefix < 0 || prefix > 32 || !base.substring(0, slash).matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw BerthException.invalid("invalid base pool \"%s\": only IPv4 CIDRs are supported", base);
        }
        if (size <= 0 || size > 32 || size < prefix) {
            throw BerthException.invalid("invalid pools size: %d", size);
        }
        return new NetworkDefaults.AddressPool(base, size);
    }

    /** dockerd's opts.ValidateLabel plus GetConflictFreeLabels (same key twice with different values is an error). */
    static List<String> labels(List<String> labels) {
        java.util.Map<String, String> seen = new java.util.LinkedHashMap<>();
        for (String l : labels) {
            int eq = l.indexOf('=');
            if (eq < 0) {
                throw BerthException.invalid("bad attribute format: %s", l);
            }
            String lower = l.toLowerCase(Locale.ROOT);
            if (lower.startsWith("com.docker.") || lower.startsWith("io.docker.") || lower.startsWith("org.dockerproject.")) {
                throw BerthException.invalid("label %s is not allowed: the namespaces com.docker.*, io.docker.*, and org.dockerproject.* "
                        + "are reserved for internal use", l);
            }
            String k = l.substring(0, eq);
            String v = l.substring(eq + 1);
            String prev = seen.get(k);
            if (prev != null && !prev.equals(v)) {
                throw BerthException.invalid("conflict labels for %s=%s and %s=%s", k, v, k, prev);
            }
            seen.put(k, v);
        }
        List<String> out = new ArrayList<>();
        seen.forEach((k, v) -> out.add(k + "=" + v));
        return out;
    }

    /** dockerd's opts.ValidateDNSSearch: "." or a domain of letters, digits, '-' and '.' up to 255 characters. */
    static String dnsSearch(String s) {
        String d = s.endsWith(".") && !s.equals(".") ? s.substring(0, s.length() - 1) : s;
        if (!d.equals(".") && (d.isEmpty() || d.startsWith(".") || !d.matches("[A-Za-z0-9.-]+") || d.length() > 255
                || !d.matches(".*[A-Za-z].*"))) {
            throw BerthException.invalid("%s is not a valid domain", s);
        }
        return s;
    }

    /** An IPv4 or IPv6 literal (never a host name lookup). */
    static String ip(String s, String what) {
        boolean v4 = s.matches("\\d{1,3}(\\.\\d{1,3}){3}") && java.util.Arrays.stream(s.split("\\.")).allMatch(o -> Integer.parseInt(o) < 256);
        boolean v6 = s.contains(":") && s.matches("[0-9A-Fa-f:.]+");
        if (!v4 && !v6) {
            throw BerthException.invalid("invalid argument \"%s\" for \"%s\" flag: invalid string being converted to IP address: %s", s, what, s);
        }
        return s;
    }
}
