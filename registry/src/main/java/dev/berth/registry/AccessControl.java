package dev.berth.registry;

import dev.berth.http.HttpExchange;
import java.util.List;

/**
 * Who may do what: no auth, htpasswd basic auth (all or nothing), or bearer tokens with
 * per-repository actions. {@link #check} runs before every handler; the grants it returns are
 * visible to the handler through {@link #CURRENT} (a cross-repository mount needs pull on the
 * source repository). Immutable; thread-safe.
 */
sealed interface AccessControl {
    /** The grants of the request being handled (bound by {@link Responses#guard}). */
    ScopedValue<Access> CURRENT = ScopedValue.newInstance();

    /** What the authenticated client may read. */
    @FunctionalInterface
    interface Access {
        boolean canPull(String repository);

        static Access all() {
            return repo -> true;
        }
    }

    /** Authenticates and authorizes the request; throws UNAUTHORIZED/DENIED with a challenge header set. */
    Access check(HttpExchange ex);

    record Open() implements AccessControl {
        @Override
        public Access check(HttpExchange ex) {
            return Access.all();
        }
    }

    record Basic(Htpasswd users, String realm) implements AccessControl {
        @Override
        public Access check(HttpExchange ex) {
            if (!users.checkHeader(ex.header("Authorization"))) {
                ex.setHeader("WWW-Authenticate", "Basic realm=\"" + realm + "\"");
                throw new RegistryError(ErrorCode.UNAUTHORIZED, null);
            }
            return Access.all();
        }
    }

    record Token(TokenAuth auth) implements AccessControl {
        @Override
        public Access check(HttpExchange ex) {
            String path = ex.path();
            String name = ex.pathParam("name");
            String type;
            String resource;
            String action;
            String scope;
            if (name != null) {
                type = "repository";
                resource = name;
                action = switch (ex.method()) {
                    case "GET", "HEAD" -> "pull";
                    case "DELETE" -> "delete";
                    default -> "push";
                };
                scope = "repository:" + name + ":" + (action.equals("push") ? "pull,push" : action);
            } else if (path.startsWith("/v2/_catalog")) {
                type = "registry";
                resource = "catalog";
                action = "*";
                scope = "registry:catalog:*";
            } else {
                type = null;
                resource = null;
                action = null;
                scope = null;
            }
            String h = ex.header("Authorization");
            List<TokenAuth.Grant> grants = h != null && h.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.verify(h.substring(7).trim()) : null;
            if (grants == null) {
                ex.setHeader("WWW-Authenticate", auth.challenge(scope, false));
                throw new RegistryError(ErrorCode.UNAUTHORIZED, null);
            }
            if (type != null && !TokenAuth.allows(grants, type, resource, action)) {
                ex.setHeader("WWW-Authenticate", auth.challenge(scope, true));
                throw new RegistryError(ErrorCode.UNAUTHORIZED, 401, "authentication required",
                        List.of(java.util.Map.of("Type", type, "Name", resource, "Action", action)));
            }
            return repo -> TokenAuth.allows(grants, "repository", repo, "pull");
        }
    }
}
