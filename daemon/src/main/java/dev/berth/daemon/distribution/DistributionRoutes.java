package dev.berth.daemon.distribution;

import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import dev.berth.common.Json;
import dev.berth.distribution.AuthConfig;
import dev.berth.distribution.DistributionService;
import dev.berth.distribution.FetchedManifest;
import dev.berth.distribution.RegistryClient;
import dev.berth.distribution.RegistryException;
import dev.berth.distribution.RegistryLogin;
import dev.berth.http.HttpExchange;
import dev.berth.http.Router;
import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.ImageConfig;
import dev.berth.oci.ref.Reference;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry endpoints of the Engine API that have no backend interface of their own:
 * {@code POST /auth} (docker login) and {@code GET /distribution/{name}/json} (the registry's
 * descriptor and platforms of an image, as {@code docker service create}/buildx ask). Stateless;
 * thread-safe.
 */
final class DistributionRoutes {
    private static final long MAX_CONFIG = 8 << 20;

    private final java.util.function.Supplier<RegistryImageTransfer> transfer;

    /** @param transfer gives the transfer service (may block until the daemon has built it) */
    DistributionRoutes(java.util.function.Supplier<RegistryImageTransfer> transfer) {
        this.transfer = transfer;
    }

    void register(Router r) {
        r.post("/auth", this::auth);
        r.get("/distribution/{name:.+}/json", this::inspect);
    }

    private void auth(HttpExchange ex) throws IOException {
        AuthConfig auth = ex.readJson(AuthConfig.class);
        if (auth == null) {
            throw BerthException.invalid("missing credentials in request body");
        }
        RegistryLogin.Result r = transfer.get().login(auth);
        Map<String, String> body = new LinkedHashMap<>();
        body.put("IdentityToken", r.identityToken() == null ? "" : r.identityToken());
        body.put("Status", r.status());
        ex.respondJson(200, body);
    }

    private void inspect(HttpExchange ex) throws IOException {
        Reference ref = Reference.parse(ex.pathParam("name")).withDefaultTag();
        AuthConfig auth = AuthConfig.fromHeader(ex.header("X-Registry-Auth"));
        DistributionService dist = transfer.get().distribution();
        try (RegistryClient c = RegistryClient.open(dist.config(), ref.domain(), auth)) {
            FetchedManifest m;
            try {
                m = c.manifests().get(ref.path(), ref.digest() != null ? ref.digest() : ref.tag());
            } catch (RegistryException e) {
                if (e.status() == 404) {
                    throw new BerthException(ErrorKind.NOT_FOUND, "manifest for " + ref.familiarString() + " not found: " + e.getMessage(), e);
                }
                if (e.status() == 401 || e.status() == 403) {
                    throw new BerthException(ErrorKind.FORBIDDEN, "pull access denied for " + ref.familiarName()
                            + ", repository does not exist or may require 'docker login': " + e.getMessage(), e);
                }
                throw e;
            }
            List<Map<String, Object>> platforms = new ArrayList<>();
            if (m.isIndex()) {
                for (Descriptor d : m.index().manifests()) {
                    if (d.platform() != null) {
                        platforms.add(platform(d.platform().architecture(), d.platform().os(), d.platform().variant()));
                    }
                }
            } else {
                var man = m.manifest();
                if (man.config() != null) {
                    byte[] cfg = c.blobs().readSmall(ref.path(), dev.berth.common.Digest.parse(man.config().digest()), MAX_CONFIG);
                    ImageConfig ic = Json.mapper().readValue(cfg, ImageConfig.class);
                    platforms.add(platform(ic.architecture(), ic.os(), ic.variant()));
                }
            }
            Map<String, Object> desc = new LinkedHashMap<>();
            desc.put("mediaType", m.mediaType());
            desc.put("digest", m.digest().toString());
            desc.put("size", m.bytes().length);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("Descriptor", desc);
            body.put("Platforms", platforms);
            ex.respondJson(200, body);
        }
    }

    private static Map<String, Object> platform(String arch, String os, String variant) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("architecture", arch == null ? "" : arch);
        p.put("os", os == null ? "" : os);
        if (variant != null && !variant.isEmpty()) {
            p.put("variant", variant);
        }
        return p;
    }
}
