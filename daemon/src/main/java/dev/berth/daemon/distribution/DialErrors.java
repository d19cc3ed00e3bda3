package dev.berth.daemon.distribution;

import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Words "registry unreachable" failures as dockerd (Go's net/http) does, e.g.
 * {@code Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: no such host}
 * or {@code Get "http://127.0.0.1:5999/v2/": dial tcp 127.0.0.1:5999: connect: connection refused},
 * instead of the JDK's bare exception class names. Pure utility.
 */
final class DialErrors {
    private static final Pattern GET = Pattern.compile("^Get \"([^\"]+)\": (.*)$", Pattern.DOTALL);

    private DialErrors() {}

    /** The exception with dockerd's wording when it is a connection failure to a registry endpoint; else itself. */
    static BerthException reword(BerthException e) {
        if (e.getMessage() == null) {
            return e;
        }
        Matcher m = GET.matcher(e.getMessage());
        if (!m.matches()) {
            return e;
        }
        String cause = m.group(2);
        if (!(cause.contains("ConnectException") || cause.contains("Connection refused") || cause.contains("UnresolvedAddress")
                || cause.contains("UnknownHost") || cause.contains("HttpConnectTimeout") || cause.contains("timed out"))) {
            return e;
        }
        URI u = URI.create(m.group(1));
        String host = u.getHost();
        int port = u.getPort() > 0 ? u.getPort() : ("http".equals(u.getScheme()) ? 80 : 443);
        String detail;
        try {
            InetAddress a = InetAddress.getByName(host);
            String hp = (a.getHostAddress().contains(":") ? "[" + a.getHostAddress() + "]" : a.getHostAddress()) + ":" + port;
            detail = cause.contains("imed out") || cause.contains("Timeout") ? "dial tcp " + hp + ": i/o timeout"
                    : "dial tcp " + hp + ": connect: connection refused";
        } catch (UnknownHostException ex) {
            detail = "dial tcp: lookup " + host + ": no such host";
        }
        return new BerthException(ErrorKind.UNAVAILABLE, "Get \"" + m.group(1) + "\": " + detail, e);
    }
}
