package dev.berth.distribution;

import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;

/**
 * {@code docker login} as dockerd does it for {@code POST /auth}: the credentials are valid when
 * an authenticated {@code GET /v2/} succeeds (through the token server for bearer registries, or
 * basic auth). Stateless; thread-safe.
 */
public final class RegistryLogin {
    /** @param status "Login Succeeded"; @param identityToken a refresh token to store instead of the password, or null */
    public record Result(String status, String identityToken) {}

    private final RegistryConfig config;

    public RegistryLogin(RegistryConfig config) {
        this.config = config;
    }

    /**
     * The registry domain of a {@code serveraddress} as the CLI sends it: {@code https://index.docker.io/v1/},
     * {@code docker.io}, empty are Docker Hub; {@code http(s)://host:port/path} is {@code host:port}.
     */
    public static String domainOf(String serverAddress) {
        if (serverAddress == null || serverAddress.isBlank()) {
            return RegistryConfig.DOCKER_HUB;
        }
        String s = serverAddress.trim().toLowerCase(Locale.ROOT);
        s = s.replaceFirst("^https?://", "");
        int slash = s.indexOf('/');
        if (slash >= 0) {
            s = s.substring(0, slash);
        }
        return switch (s) {
            case "index.docker.io", "registry-1.docker.io", "docker.io", "registry.hub.docker.com" -> RegistryConfig.DOCKER_HUB;
            default -> s;
        };
    }

    /** Checks the credentials; UNAUTHORIZED with Docker's wording when they are wrong. */
    public Result login(AuthConfig auth) throws IOException {
        String domain = domainOf(auth.serveraddress());
        try (RegistryClient c = RegistryClient.open(config, domain, auth)) {
            c.send(HttpRequest.newBuilder(c.uri("/v2/")).timeout(c.timeout()).GET(), HttpResponse.BodyHandlers.discarding(), List.of());
            return new Result("Login Succeeded", null);
        } catch (RegistryException e) {
            if (e.status() == 401 || e.status() == 403) {
                throw new BerthException(ErrorKind.UNAUTHORIZED, "login attempt to " + domain + " failed with status: "
                        + e.status() + " " + (e.status() == 401 ? "Unauthorized" : "Forbidden"), e);
            }
            throw e;
        }
    }
}
