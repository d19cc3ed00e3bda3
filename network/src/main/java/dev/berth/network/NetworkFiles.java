package dev.berth.network;

import dev.berth.common.BerthException;
import java.util.ArrayList;
import java.util.List;

/** The contents of a container's /etc/hosts, /etc/resolv.conf and /etc/hostname, as Docker writes them. Pure utility. */
final class NetworkFiles {
    static final String DEFAULT_HOSTS = """
            127.0.0.1\tlocalhost
            ::1\tlocalhost ip6-localhost ip6-loopback
            fe00::0\tip6-localnet
            ff00::0\tip6-mcastprefix
            ff02::1\tip6-allnodes
            ff02::2\tip6-allrouters
            """;

    private NetworkFiles() {}

    /**
     * @param base the default entries (or the host's /etc/hosts for host networking)
     * @param ip the container's address, or null for none
     * @param hostGatewayIp what {@code host-gateway} in extra hosts means
     */
    static String hosts(String base, String hostname, String domainname, String ip, List<String> extraHosts, String hostGatewayIp) {
        return hosts(base, hostname, domainname, ip, null, extraHosts, hostGatewayIp);
    }

    /** @param ip6 the container's IPv6 address (gets its own line, as Docker writes it), or null */
    static String hosts(String base, String hostname, String domainname, String ip, String ip6, List<String> extraHosts, String hostGatewayIp) {
        StringBuilder sb = new StringBuilder(base);
        if (!base.isEmpty() && !base.endsWith("\n")) {
            sb.append('\n');
        }
        for (String eh : extraHosts == null ? List.<String>of() : extraHosts) {
            int sep = eh.indexOf('=');
            if (sep < 0) {
                sep = eh.indexOf(':');
            }
            if (sep <= 0 || sep == eh.length() - 1) {
                throw BerthException.invalid("invalid argument \"%s\" for \"--add-host\" flag: bad format for add-host: \"%s\"", eh, eh);
            }
            String name = eh.substring(0, sep);
            String addr = eh.substring(sep + 1);
            if (addr.startsWith("[") && addr.endsWith("]")) {
                addr = addr.substring(1, addr.length() - 1);
            }
            if ("host-gateway".equals(addr)) {
                if (hostGatewayIp == null) {
                    throw BerthException.invalid("unable to derive the IP value for host-gateway");
                }
                addr = hostGatewayIp;
            }
            sb.append(addr).append('\t').append(name).append('\n');
        }
        if (hostname != null && !hostname.isEmpty()) {
            for (String a : new String[] {ip, ip6}) {
                if (a == null) {
                    continue;
                }
                sb.append(a).append('\t');
                if (domainname != null && !domainname.isEmpty()) {
                    sb.append(hostname).append('.').append(domainname).append(' ');
                }
                sb.append(hostname).append('\n');
            }
        }
        return sb.toString();
    }

    /**
     * Derives a container's resolv.conf from the host's. Loopback nameservers are dropped when
     * the container has its own network namespace (they would point at the container itself),
     * and so are IPv6 ones (no IPv6 on our bridge); if none remain, Google's public DNS is used as
     * Docker does. Explicit --dns / --dns-search / --dns-option replace the respective lines.
     */
    static String resolvConf(String host, boolean ownNetns, List<String> dns, List<String> dnsSearch, List<String> dnsOptions) {
        List<String> ns = new ArrayList<>();
        List<String> search = new ArrayList<>();
        List<String> options = new ArrayList<>();
        for (String raw : host.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            String[] f = line.split("\\s+");
            switch (f[0]) {
                case "nameserver" -> {
                    if (f.length > 1 && (!ownNetns || (!f[1].startsWith("127.") && !f[1].contains(":")))) {
                        ns.add(f[1]);
                    }
                }
                case "search", "domain" -> {
                    search.clear();
                    search.addAll(List.of(f).subList(1, f.length));
                }
                case "options" -> options.addAll(List.of(f).subList(1, f.length));
                default -> { }
            }
        }
        if (dns != null && !dns.isEmpty()) {
            ns = new ArrayList<>(dns);
        }
        if (ns.isEmpty() && ownNetns) {
            ns = List.of("8.8.8.8", "8.8.4.4");
        }
        if (dnsSearch != null && !dnsSearch.isEmpty()) {
            // "." means: no search domains at all.
            search = dnsSearch.equals(List.of(".")) ? List.of() : new ArrayList<>(dnsSearch);
        }
        if (dnsOptions != null && !dnsOptions.isEmpty()) {
            options = new ArrayList<>(dnsOptions);
        }
        StringBuilder sb = new StringBuilder();
        if (!search.isEmpty()) {
            sb.append("search ").append(String.join(" ", search)).append('\n');
        }
        for (String n : ns) {
            sb.append("nameserver ").append(n).append('\n');
        }
        if (!options.isEmpty()) {
            sb.append("options ").append(String.join(" ", options)).append('\n');
        }
        return sb.toString();
    }

    /**
     * resolv.conf for a container using the embedded DNS server: only 127.0.0.11, the host's or
     * requested search domains, and ndots:0 unless options were given (as Docker writes it).
     */
    static String embeddedResolvConf(String host, List<String> dnsSearch, List<String> dnsOptions) {
        String base = resolvConf(host, true, List.of(EmbeddedDns.ADDRESS), dnsSearch, dnsOptions);
        boolean hasOptions = base.lines().anyMatch(l -> l.startsWith("options "));
        if (!hasOptions) {
            return base + "options ndots:0\n";
        }
        return base;
    }

    /** Where the embedded DNS server forwards: the requested servers, else the host's (loopback ones work: it forwards from the host). */
    static List<String> upstreams(String host, List<String> dns) {
        if (dns != null && !dns.isEmpty()) {
            return List.copyOf(dns);
        }
        List<String> out = new ArrayList<>();
        for (String raw : host.split("\n")) {
            String[] f = raw.strip().split("\\s+");
            if (f.length > 1 && f[0].equals("nameserver") && !f[1].contains(":")) {
                out.add(f[1]);
            }
        }
        return out.isEmpty() ? List.of("8.8.8.8", "8.8.4.4") : out;
    }

    /** The nameserver lines of a resolv.conf. */
    static List<String> nameservers(String resolvConf) {
        List<String> out = new ArrayList<>();
        for (String raw : resolvConf.split("\n")) {
            String[] f = raw.strip().split("\\s+");
            if (f.length > 1 && f[0].equals("nameserver")) {
                out.add(f[1]);
            }
        }
        return out;
    }

    /** The options of a resolv.conf (all "options" lines). */
    static List<String> options(String resolvConf) {
        List<String> out = new ArrayList<>();
        for (String raw : resolvConf.split("\n")) {
            String[] f = raw.strip().split("\\s+");
            if (f.length > 1 && f[0].equals("options")) {
                out.addAll(List.of(f).subList(1, f.length));
            }
        }
        return out;
    }

    static String hostname(String hostname) {
        return (hostname == null ? "" : hostname) + "\n";
    }
}
