package dev.berth.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Routes by method and path pattern. A pattern is literal segments and parameters: {@code {name}}
 * matches one segment (no slash); {@code {name:.+}} matches one or more characters including
 * slashes, for image references such as {@code /images/{name:.+}/push}. Routes are tried in the
 * order they were added and the first match wins, so add specific routes before catch-alls.
 * Build the router before the server starts; it is read-only (thread-safe) afterwards.
 */
public final class Router {
    private final List<Route> routes = new ArrayList<>();

    /** A successful match: the handler and the decoded path parameters. */
    public record Match(Handler handler, Map<String, String> params) {}

    private record Route(String method, Pattern regex, List<String> names, Handler handler) {}

    public Router add(String method, String pattern, Handler handler) {
        Objects.requireNonNull(handler, "handler");
        List<String> names = new ArrayList<>();
        StringBuilder re = new StringBuilder("^");
        int i = 0;
        while (i < pattern.length()) {
            int open = pattern.indexOf('{', i);
            if (open < 0) {
                re.append(Pattern.quote(pattern.substring(i)));
                break;
            }
            if (open > i) {
                re.append(Pattern.quote(pattern.substring(i, open)));
            }
            int close = pattern.indexOf('}', open);
            if (close < 0) {
                throw new IllegalArgumentException("unbalanced '{' in route " + pattern);
            }
            String spec = pattern.substring(open + 1, close);
            int colon = spec.indexOf(':');
            if (colon < 0) {
                names.add(spec);
                re.append("([^/]+)");
            } else {
                names.add(spec.substring(0, colon));
                re.append('(').append(spec.substring(colon + 1)).append(')');
            }
            i = close + 1;
        }
        re.append('$');
        routes.add(new Route(method.toUpperCase(java.util.Locale.ROOT), Pattern.compile(re.toString()), List.copyOf(names), handler));
        return this;
    }

    public Router get(String pattern, Handler h) {
        return add("GET", pattern, h);
    }

    public Router head(String pattern, Handler h) {
        return add("HEAD", pattern, h);
    }

    public Router post(String pattern, Handler h) {
        return add("POST", pattern, h);
    }

    public Router put(String pattern, Handler h) {
        return add("PUT", pattern, h);
    }

    public Router delete(String pattern, Handler h) {
        return add("DELETE", pattern, h);
    }

    /** The first route matching method and (decoded, unversioned) path, or null. */
    public Match match(String method, String path) {
        for (Route r : routes) {
            if (!r.method.equals(method)) {
                continue;
            }
            Matcher m = r.regex.matcher(path);
            if (m.matches()) {
                Map<String, String> params = new LinkedHashMap<>();
                for (int g = 0; g < r.names.size(); g++) {
                    params.put(r.names.get(g), m.group(g + 1));
                }
                return new Match(r.handler, Map.copyOf(params));
            }
        }
        return null;
    }
}
