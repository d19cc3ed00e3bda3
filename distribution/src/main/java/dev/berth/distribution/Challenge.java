package dev.berth.distribution;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One parsed {@code WWW-Authenticate} challenge, e.g.
 * {@code Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull"}.
 *
 * @param scheme lower-case scheme ({@code bearer}, {@code basic})
 * @param params parameters with lower-case names
 */
public record Challenge(String scheme, Map<String, String> params) {

    public boolean isBearer() {
        return scheme.equals("bearer");
    }

    public boolean isBasic() {
        return scheme.equals("basic");
    }

    public String param(String name) {
        return params.get(name);
    }

    /** Parses all challenges from the header values (several schemes may be offered). */
    public static List<Challenge> parseAll(List<String> headerValues) {
        return headerValues.stream().map(Challenge::parse).filter(c -> c != null).toList();
    }

    /** Parses one header value; null when it is empty. */
    public static Challenge parse(String header) {
        String h = header.trim();
        if (h.isEmpty()) {
            return null;
        }
        int sp = h.indexOf(' ');
        String scheme = (sp < 0 ? h : h.substring(0, sp)).toLowerCase(Locale.ROOT);
        Map<String, String> params = new LinkedHashMap<>();
        int i = sp < 0 ? h.length() : sp + 1;
        while (i < h.length()) {
            while (i < h.length() && (h.charAt(i) == ' ' || h.charAt(i) == ',')) {
                i++;
            }
            int eq = h.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String name = h.substring(i, eq).trim().toLowerCase(Locale.ROOT);
            i = eq + 1;
            StringBuilder value = new StringBuilder();
            if (i < h.length() && h.charAt(i) == '"') {
                i++;
                while (i < h.length() && h.charAt(i) != '"') {
                    if (h.charAt(i) == '\\' && i + 1 < h.length()) {
                        i++;
                    }
                    value.append(h.charAt(i++));
                }
                i++; // closing quote
            } else {
                while (i < h.length() && h.charAt(i) != ',') {
                    value.append(h.charAt(i++));
                }
            }
            params.put(name, value.toString().trim());
        }
        return new Challenge(scheme, Map.copyOf(params));
    }
}
