package dev.berth.registry;

import dev.berth.common.BerthException;
import dev.berth.http.Handler;
import dev.berth.http.HttpExchange;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place a registry failure becomes a response: distribution error bodies, the API
 * version header, and the authentication gate in front of every handler. Pure utility.
 */
final class Responses {
    static final String API_VERSION_HEADER = "Docker-Distribution-API-Version";
    static final String API_VERSION = "registry/2.0";
    private static final System.Logger LOG = System.getLogger(Responses.class.getName());

    private Responses() {}

    static void error(HttpExchange ex, RegistryError e) {
        Map<String, Object> err = new LinkedHashMap<>();
        err.put("code", e.code().name());
        err.put("message", e.getMessage());
        err.put("detail", e.detail());
        ex.respondJson(e.status(), Map.of("errors", List.of(err)));
    }

    /** Wraps a handler: access control, then error mapping. */
    static Handler guard(Handler h, AccessControl access) {
        return ex -> {
            try {
                AccessControl.Access granted = access.check(ex);
                ScopedValue.where(AccessControl.CURRENT, granted).call(() -> {
                    h.handle(ex);
                    return null;
                });
            } catch (RegistryError e) {
                if (!ex.isCommitted()) {
                    error(ex, e);
                }
            } catch (BerthException e) {
                if (!ex.isCommitted()) {
                    ErrorCode code = switch (e.kind()) {
                        case INVALID_ARGUMENT -> ErrorCode.MANIFEST_INVALID;
                        case UNAUTHORIZED -> ErrorCode.UNAUTHORIZED;
                        case FORBIDDEN -> ErrorCode.DENIED;
                        case NOT_FOUND -> ErrorCode.NAME_UNKNOWN;
                        case NOT_IMPLEMENTED -> ErrorCode.UNSUPPORTED;
                        default -> ErrorCode.UNKNOWN;
                    };
                    error(ex, new RegistryError(code, code.status(), e.getMessage(), null));
                }
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "registry request " + ex.method() + " " + ex.path() + " failed", e);
                if (!ex.isCommitted()) {
                    error(ex, new RegistryError(ErrorCode.UNKNOWN, 500, String.valueOf(e.getMessage()), null));
                } else {
                    throw e;
                }
            }
        };
    }

    /** {@code <path?n=N&last=X>; rel="next"} for paginated lists. */
    static String nextLink(String path, int n, String last) {
        return "<" + path + "?n=" + n + "&last=" + java.net.URLEncoder.encode(last, java.nio.charset.StandardCharsets.UTF_8) + ">; rel=\"next\"";
    }

    /** Applies {@code n}/{@code last} pagination to a sorted list and sets the Link header when more remain. */
    static List<String> page(HttpExchange ex, List<String> all, String path) {
        String last = ex.query("last");
        List<String> rest = last == null || last.isEmpty() ? all : all.stream().filter(s -> s.compareTo(last) > 0).toList();
        Integer n;
        try {
            n = ex.queryInt("n");
        } catch (BerthException e) {
            throw new RegistryError(ErrorCode.PAGINATION_NUMBER_INVALID, ex.query("n"));
        }
        if (n == null) {
            return rest;
        }
        if (n < 0) {
            throw new RegistryError(ErrorCode.PAGINATION_NUMBER_INVALID, n);
        }
        if (rest.size() > n) {
            List<String> out = rest.subList(0, n);
            if (n > 0) {
                ex.setHeader("Link", nextLink(path, n, out.getLast()));
            }
            return out;
        }
        return rest;
    }
}
