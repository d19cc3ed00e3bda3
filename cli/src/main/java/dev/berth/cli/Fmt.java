package dev.berth.cli;

import dev.berth.common.HumanUnits;
import dev.berth.api.model.ContainerSummary;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** Docker's human-readable renderings (go-units and the CLI's formatters). Stateless utility. */
final class Fmt {
    private Fmt() {}

    static String ago(long unixSeconds) {
        return HumanUnits.humanDuration(Duration.between(Instant.ofEpochSecond(unixSeconds), Instant.now())) + " ago";
    }

    static String ago(String rfc3339) {
        if (rfc3339 == null || rfc3339.startsWith("0001-")) {
            return "";
        }
        return HumanUnits.humanDuration(Duration.between(OffsetDateTime.parse(rfc3339).toInstant(), Instant.now())) + " ago";
    }

    /** go-units HumanSizeWithPrecision(size, 3): decimal units (images, ps, stats). */
    static String humanSize(double size) {
        return humanSize(size, 3);
    }

    static String humanSize4(double size) {
        return humanSize(size, 4);
    }

    /** go-units HumanSizeWithPrecision(size, precision); HumanSize is precision 4 (system df). */
    static String humanSize(double size, int precision) {
        String[] units = {"B", "kB", "MB", "GB", "TB", "PB"};
        int i = 0;
        while (size >= 1000 && i < units.length - 1) {
            size /= 1000;
            i++;
        }
        String num = new java.math.BigDecimal(size).round(new java.math.MathContext(precision)).stripTrailingZeros().toPlainString();
        return num + units[i];
    }

    /** go-units BytesSize: binary units, two decimals. */
    static String bytesSize(double size) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int i = 0;
        while (size >= 1024 && i < units.length - 1) {
            size /= 1024;
            i++;
        }
        return String.format(Locale.ROOT, "%.4g", size).replaceAll("\\.?0+$", "") + units[i];
    }

    /** Docker's ellipsis: keep {@code max} runes, the last one replaced by "…". */
    static String ellipsis(String s, int max) {
        if (s.codePointCount(0, s.length()) <= max) {
            return s;
        }
        int end = s.offsetByCodePoints(0, max - 1);
        return s.substring(0, end) + "…";
    }

    /** Go's strconv.Quote for the common cases. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> sb.append(ch);
            }
        }
        return sb.append('"').toString();
    }

    /** The PORTS column: published ports as {@code ip:pub->priv/proto}, sorted, comma separated. */
    static String ports(List<ContainerSummary.Port> ports) {
        if (ports == null || ports.isEmpty()) {
            return "";
        }
        List<ContainerSummary.Port> sorted = new ArrayList<>(ports);
        sorted.sort(Comparator.comparing((ContainerSummary.Port p) -> p.type() == null ? "" : p.type())
                .thenComparingInt(ContainerSummary.Port::privatePort)
                .thenComparing(p -> p.ip() == null ? "" : p.ip()));
        List<String> out = new ArrayList<>();
        for (ContainerSummary.Port p : sorted) {
            String proto = p.type() == null ? "tcp" : p.type();
            String s;
            if (p.publicPort() != null && p.publicPort() != 0) {
                String ip = p.ip() == null || p.ip().isEmpty() ? "0.0.0.0" : p.ip();
                if (ip.contains(":")) {
                    ip = "[" + ip + "]";
                }
                s = ip + ":" + p.publicPort() + "->" + p.privatePort() + "/" + proto;
            } else {
                s = p.privatePort() + "/" + proto;
            }
            if (!out.contains(s)) {
                out.add(s);
            }
        }
        return String.join(", ", out);
    }

    /** Container names without the leading slash, dropping link aliases ("/a/b"). */
    static String names(List<String> names, boolean noTrunc) {
        if (names == null) {
            return "";
        }
        List<String> out = new ArrayList<>();
        for (String n : names) {
            String s = n.startsWith("/") ? n.substring(1) : n;
            if (noTrunc || !s.contains("/")) {
                out.add(s);
            }
        }
        return String.join(",", out);
    }

    static String shortId(String id) {
        if (id == null) {
            return "";
        }
        String hex = id.startsWith("sha256:") ? id.substring(7) : id;
        return hex.length() > 12 ? hex.substring(0, 12) : hex;
    }
}
