package dev.berth.distribution;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which registries are reached how: insecure registries (plain HTTP allowed, TLS not verified) and
 * pull mirrors. Loopback registries ({@code localhost}, {@code 127.0.0.0/8}, {@code ::1}) are
 * insecure by default, as in Docker. Immutable.
 *
 * @param insecureRegistries host[:port] names or CIDRs ({@code 10.0.0.0/8}) treated as insecure
 * @param mirrors            registry domain (e.g. {@code docker.io}) to mirror base URIs tried first for pulls
 * @param requestTimeout     timeout for requests other than blob bodies
 */
public record RegistryConfig(List<String> insecureRegistries, Map<String, List<URI>> mirrors, Duration requestTimeout) {
    public static final String DOCKER_HUB = "docker.io";
    public static final URI DOCKER_HUB_ENDPOINT = URI.create("https://registry-1.docker.io");

    public RegistryConfig {
        insecureRegistries = List.copyOf(insecureRegistries);
        mirrors = Map.copyOf(mirrors);
        if (requestTimeout == null) {
            requestTimeout = Duration.ofMinutes(2);
        }
    }

    public static RegistryConfig defaults() {
        return new RegistryConfig(List.of(), Map.of(), null);
    }

    /** True when {@code domain} (host[:port]) may be reached over plain HTTP. */
    public boolean isInsecure(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        String host = hostOf(d);
        for (String s : insecureRegistries) {
            String e = s.toLowerCase(Locale.ROOT);
            if (e.equals(d) || e.equals(host)) {
                return true;
            }
            if (e.contains("/") && inCidr(host, e)) {
                return true;
            }
        }
        if (host.equals("localhost") || host.endsWith(".localhost")) {
            return true;
        }
        try {
            if (looksLikeIp(host)) {
                return InetAddress.getByName(host.replace("[", "").replace("]", "")).isLoopbackAddress();
            }
        } catch (UnknownHostException e) {
            return false;
        }
        return false;
    }

    /** The host without port, brackets kept for IPv6. */
    static String hostOf(String domain) {
        if (domain.startsWith("[")) {
            int end = domain.indexOf(']');
            return end > 0 ? domain.substring(0, end + 1) : domain;
        }
        int colon = domain.lastIndexOf(':');
        return colon > 0 ? domain.substring(0, colon) : domain;
    }

    private static boolean looksLikeIp(String host) {
        return host.startsWith("[") || host.chars().allMatch(c -> Character.isDigit(c) || c == '.');
    }

    private static boolean inCidr(String host, String cidr) {
        try {
            if (!looksLikeIp(host)) {
                return false;
            }
            int slash = cidr.indexOf('/');
            byte[] net = InetAddress.getByName(cidr.substring(0, slash)).getAddress();
            byte[] addr = InetAddress.getByName(host.replace("[", "").replace("]", "")).getAddress();
            int bits = Integer.parseInt(cidr.substring(slash + 1));
            if (net.length != addr.length) {
                return false;
            }
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >> (i % 8);
                if ((net[i / 8] & mask) != (addr[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException | RuntimeException e) {
            return false;
        }
    }

    /** The base URIs to try for {@code domain}, most preferred first; {@code http} ones only for insecure registries. */
    public List<URI> endpoints(String domain) {
        if (domain.equals(DOCKER_HUB)) {
            return List.of(DOCKER_HUB_ENDPOINT);
        }
        if (isInsecure(domain)) {
            return List.of(URI.create("https://" + domain), URI.create("http://" + domain));
        }
        return List.of(URI.create("https://" + domain));
    }

    /** Mirrors configured for {@code domain} (pulls only). */
    public List<URI> mirrorsFor(String domain) {
        return mirrors.getOrDefault(domain, List.of());
    }
}
