package dev.berth.registry;

import dev.berth.http.ApiVersion;
import dev.berth.http.Handler;
import dev.berth.http.HttpServer;
import dev.berth.http.HttpServerConfig;
import dev.berth.http.Listener;
import dev.berth.http.Router;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A registry server implementing the OCI distribution spec v1.1 (and the Docker registry v2 API)
 * on {@link HttpServer}: blobs, uploads (monolithic, chunked, cross-repository mount), manifests
 * by tag or digest, tag list and catalog with pagination, referrers; optional htpasswd basic
 * auth and TLS. Storage is {@link RegistryStorage}. Lifecycle: construct, {@link #start()},
 * {@link #close()}. Thread-safe.
 */
public final class RegistryServer implements AutoCloseable {

    /**
     * @param host     address to bind (e.g. 127.0.0.1)
     * @param port     port; 0 picks a free one (see {@link #address()})
     * @param root     storage root
     * @param htpasswd bcrypt htpasswd file enabling basic auth, or null for none
     * @param tlsCert  PEM certificate enabling TLS (with {@code tlsKey}), or null
     * @param tlsKey   PEM private key, or null
     * @param realm    the basic-auth realm
     * @param token    bearer-token authentication (instead of htpasswd), or null
     */
    public record Config(String host, int port, Path root, Path htpasswd, Path tlsCert, Path tlsKey, String realm, TokenAuth token) {
        public static Config of(String host, int port, Path root) {
            return new Config(host, port, root, null, null, null, "Registry Realm", null);
        }

        public Config withHtpasswd(Path file) {
            return new Config(host, port, root, file, tlsCert, tlsKey, realm, token);
        }

        public Config withTls(Path cert, Path key) {
            return new Config(host, port, root, htpasswd, cert, key, realm, token);
        }

        public Config withToken(TokenAuth auth) {
            return new Config(host, port, root, htpasswd, tlsCert, tlsKey, realm, auth);
        }
    }

    private final Config config;
    private final RegistryStorage storage;
    private final HttpServer server;

    public RegistryServer(Config config) throws IOException {
        this.config = config;
        this.storage = new RegistryStorage(config.root());
        AccessControl access;
        if (config.token() != null) {
            access = new AccessControl.Token(config.token());
        } else if (config.htpasswd() != null) {
            access = new AccessControl.Basic(Htpasswd.load(config.htpasswd()), config.realm() == null ? "Registry Realm" : config.realm());
        } else {
            access = new AccessControl.Open();
        }
        Router router = routes(storage, access);
        Listener.TlsSettings tls = config.tlsCert() == null ? null
                : new Listener.TlsSettings(config.tlsCert(), config.tlsKey(), null, false);
        HttpServerConfig hc = new HttpServerConfig(List.of(new Listener.Tcp(config.host(), config.port(), tls)),
                new ApiVersion(1, 0), new ApiVersion(1, 99),
                Map.of(Responses.API_VERSION_HEADER, Responses.API_VERSION), 0);
        this.server = new HttpServer(hc, router);
    }

    static Router routes(RegistryStorage storage, AccessControl access) {
        var blobs = new BlobHandlers(storage);
        var uploads = new UploadHandlers(storage);
        var manifests = new ManifestHandlers(storage);
        var lists = new ListingHandlers(storage);
        Router r = new Router();
        java.util.function.Function<Handler, Handler> g = h -> Responses.guard(h, access);
        String name = "/v2/{name:[a-z0-9][a-z0-9._/-]*}";
        r.get("/v2/", g.apply(lists::base));
        r.get("/v2", g.apply(lists::base));
        r.head("/v2/", g.apply(lists::base));
        r.get("/v2/_catalog", g.apply(lists::catalog));
        r.get(name + "/tags/list", g.apply(lists::tags));
        r.get(name + "/referrers/{digest}", g.apply(lists::referrers));
        r.post(name + "/blobs/uploads/", g.apply(uploads::start));
        r.post(name + "/blobs/uploads", g.apply(uploads::start));
        r.add("PATCH", name + "/blobs/uploads/{uuid}", g.apply(uploads::patch));
        r.put(name + "/blobs/uploads/{uuid}", g.apply(uploads::finish));
        r.get(name + "/blobs/uploads/{uuid}", g.apply(uploads::status));
        r.delete(name + "/blobs/uploads/{uuid}", g.apply(uploads::cancel));
        r.get(name + "/blobs/{digest}", g.apply(blobs::get));
        r.head(name + "/blobs/{digest}", g.apply(blobs::get));
        r.delete(name + "/blobs/{digest}", g.apply(blobs::delete));
        r.get(name + "/manifests/{reference}", g.apply(manifests::get));
        r.head(name + "/manifests/{reference}", g.apply(manifests::get));
        r.put(name + "/manifests/{reference}", g.apply(manifests::put));
        r.delete(name + "/manifests/{reference}", g.apply(manifests::delete));
        return r;
    }

    public RegistryStorage storage() {
        return storage;
    }

    public Config config() {
        return config;
    }

    /** Binds the listener. */
    public void start() {
        server.start();
    }

    /** The bound address (port resolved). */
    public InetSocketAddress address() {
        return (InetSocketAddress) server.boundAddresses().getFirst();
    }

    /** {@code host:port} as clients name this registry, e.g. {@code 127.0.0.1:5000}. */
    public String hostPort() {
        InetSocketAddress a = address();
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    @Override
    public void close() {
        server.stop();
    }
}
