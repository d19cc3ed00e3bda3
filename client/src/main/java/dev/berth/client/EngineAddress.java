package dev.berth.client;

import dev.berth.common.BerthException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.URI;
import java.util.Map;

/**
 * Where the engine listens: a unix socket path or a TCP host and port. Immutable.
 *
 * @param scheme "unix" or "tcp"
 * @param target the socket path (unix) or {@code host:port} (tcp)
 */
public record EngineAddress(String scheme, String target) {
    /** The default engine socket when nothing else is configured. */
    public static final String DEFAULT_HOST = "unix:///run/berth/berth.sock";

    /** Parses {@code unix:///path}, {@code tcp://host:port}, {@code http://host:port} or a bare path. */
    public static EngineAddress parse(String host) {
        if (host == null || host.isBlank()) {
            throw BerthException.invalid("empty engine host");
        }
        if (host.startsWith("/")) {
            return new EngineAddress("unix", host);
        }
        if (host.startsWith("unix://")) {
            String path = host.substring("unix://".length());
            if (path.isEmpty()) {
                throw BerthException.invalid("invalid unix host %s: missing socket path", host);
            }
            return new EngineAddress("unix", path);
        }
        if (host.startsWith("tcp://") || host.startsWith("http://")) {
            URI uri = URI.create(host);
            int port = uri.getPort() < 0 ? 2375 : uri.getPort();
            if (uri.getHost() == null) {
                throw BerthException.invalid("invalid tcp host %s", host);
            }
            return new EngineAddress("tcp", uri.getHost() + ":" + port);
        }
        throw BerthException.invalid("unsupported protocol in host %s (use unix:// or tcp://)", host);
    }

    /**
     * Finds the engine as the docker CLI does, with Berth's own variable first: the explicit host
     * (from {@code -H}), then {@code BERTH_HOST}, then {@code DOCKER_HOST}, then {@link #DEFAULT_HOST}.
     */
    public static EngineAddress resolve(String explicit, Map<String, String> env) {
        if (explicit != null && !explicit.isBlank()) {
            return parse(explicit);
        }
        for (String var : new String[] {"BERTH_HOST", "DOCKER_HOST"}) {
            String v = env.get(var);
            if (v != null && !v.isBlank()) {
                return parse(v);
            }
        }
        return parse(DEFAULT_HOST);
    }

    /** The socket address to connect to. */
    public SocketAddress socketAddress() {
        if (scheme.equals("unix")) {
            return UnixDomainSocketAddress.of(target);
        }
        int colon = target.lastIndexOf(':');
        return new InetSocketAddress(target.substring(0, colon), Integer.parseInt(target.substring(colon + 1)));
    }

    /** The value of the Host header. */
    public String hostHeader() {
        return scheme.equals("unix") ? "api.moby.localhost" : target;
    }

    @Override
    public String toString() {
        return scheme + "://" + target;
    }
}
