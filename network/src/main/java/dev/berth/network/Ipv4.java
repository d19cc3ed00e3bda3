package dev.berth.network;

import dev.berth.common.BerthException;

/**
 * IPv4 addresses as unsigned ints and CIDR arithmetic. Pure utility (no state).
 */
final class Ipv4 {
    private Ipv4() {}

    static long parse(String ip) {
        String[] p = ip.strip().split("\\.");
        if (p.length != 4) {
            throw BerthException.invalid("invalid IPv4 address: %s", ip);
        }
        long v = 0;
        for (String s : p) {
            int o;
            try {
                o = Integer.parseInt(s);
            } catch (NumberFormatException e) {
                throw BerthException.invalid("invalid IPv4 address: %s", ip);
            }
            if (o < 0 || o > 255) {
                throw BerthException.invalid("invalid IPv4 address: %s", ip);
            }
            v = (v << 8) | o;
        }
        return v;
    }

    static boolean isIpv4(String s) {
        try {
            parse(s);
            return true;
        } catch (BerthException e) {
            return false;
        }
    }

    static String format(long v) {
        return ((v >> 24) & 255) + "." + ((v >> 16) & 255) + "." + ((v >> 8) & 255) + "." + (v & 255);
    }

    /** A CIDR like {@code 172.30.0.1/16}: the address as written and its prefix. */
    record Cidr(long address, int prefix) {
        static Cidr parse(String cidr) {
            int slash = cidr.indexOf('/');
            if (slash < 0) {
                throw BerthException.invalid("invalid CIDR address: %s", cidr);
            }
            int prefix;
            try {
                prefix = Integer.parseInt(cidr.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw BerthException.invalid("invalid CIDR address: %s", cidr);
            }
            if (prefix < 1 || prefix > 30) {
                throw BerthException.invalid("invalid subnet prefix length in %s (need /1 to /30)", cidr);
            }
            String addr = cidr.substring(0, slash);
            if (!isIpv4(addr)) {
                throw BerthException.invalid("invalid CIDR address: %s", cidr);
            }
            return new Cidr(Ipv4.parse(addr), prefix);
        }

        long mask() {
            return (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
        }

        long network() {
            return address & mask();
        }

        long broadcast() {
            return network() | (~mask() & 0xFFFFFFFFL);
        }

        boolean contains(long ip) {
            return (ip & mask()) == network();
        }

        boolean overlaps(Cidr o) {
            int p = Math.min(prefix, o.prefix);
            long m = (0xFFFFFFFFL << (32 - p)) & 0xFFFFFFFFL;
            return (address & m) == (o.address & m);
        }

        /** The subnet, e.g. {@code 172.30.0.0/16}. */
        String subnet() {
            return format(network()) + "/" + prefix;
        }

        /** The address as written with its prefix, e.g. {@code 172.30.0.1/16}. */
        String addressWithPrefix() {
            return format(address) + "/" + prefix;
        }

        String ip() {
            return format(address);
        }
    }

    /** Docker's MAC for an IPv4 address: 02:42 followed by the four address bytes. */
    static String macFor(String ip) {
        long v = parse(ip);
        return "02:42:%02x:%02x:%02x:%02x".formatted((v >> 24) & 255, (v >> 16) & 255, (v >> 8) & 255, v & 255);
    }
}
