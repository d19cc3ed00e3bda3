package dev.berth.network;

import dev.berth.common.BerthException;
import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** IPv6 addresses as 128-bit integers and CIDR arithmetic. Pure utility (no state). */
final class Ipv6 {
    private static final BigInteger ALL = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

    private Ipv6() {}

    static boolean isIpv6(String s) {
        return s != null && s.contains(":");
    }

    static BigInteger parse(String ip) {
        String s = ip.strip();
        if (!s.contains(":") || !s.matches("[0-9a-fA-F:.]+")) {
            throw BerthException.invalid("invalid IPv6 address: %s", ip);
        }
        try {
            InetAddress a = InetAddress.getByName(s); // a literal: no name lookup happens
            if (!(a instanceof Inet6Address)) {
                throw BerthException.invalid("invalid IPv6 address: %s", ip);
            }
            return new BigInteger(1, a.getAddress());
        } catch (UnknownHostException e) {
            throw BerthException.invalid("invalid IPv6 address: %s", ip);
        }
    }

    /** RFC 5952 form: lower case, longest run of zero groups as "::". */
    static String format(BigInteger v) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = v.shiftRight(16 * (7 - i)).intValue() & 0xFFFF;
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (g[i] == 0) {
                int j = i;
                while (j < 8 && g[j] == 0) {
                    j++;
                }
                if (j - i > bestLen && j - i > 1) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (!sb.isEmpty() && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    static String normalize(String ip) {
        return format(parse(ip));
    }

    /** The reverse-lookup name of an address (nibbles under ip6.arpa), without the trailing dot. */
    static String arpa(String ip) {
        String hex = String.format("%032x", parse(ip));
        StringBuilder sb = new StringBuilder();
        for (int i = 31; i >= 0; i--) {
            sb.append(hex.charAt(i)).append('.');
        }
        return sb.append("ip6.arpa").toString();
    }

    /** A CIDR like {@code fd00:1::1/64}: the address as written and its prefix. */
    record Cidr(BigInteger address, int prefix) {
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
            if (prefix < 1 || prefix > 126) {
                throw BerthException.invalid("invalid subnet prefix length in %s (need /1 to /126)", cidr);
            }
            return new Cidr(Ipv6.parse(cidr.substring(0, slash)), prefix);
        }

        BigInteger mask() {
            return ALL.shiftLeft(128 - prefix).and(ALL);
        }

        BigInteger network() {
            return address.and(mask());
        }

        BigInteger last() {
            return network().or(ALL.xor(mask()));
        }

        boolean contains(BigInteger ip) {
            return ip.and(mask()).equals(network());
        }

        boolean overlaps(Cidr o) {
            int p = Math.min(prefix, o.prefix);
            BigInteger m = ALL.shiftLeft(128 - p).and(ALL);
            return address.and(m).equals(o.address.and(m));
        }

        String subnet() {
            return format(network()) + "/" + prefix;
        }
    }
}
