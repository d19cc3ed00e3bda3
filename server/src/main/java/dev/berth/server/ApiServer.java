package dev.berth.server;

import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import dev.berth.http.ApiVersion;
import dev.berth.http.Handler;
import dev.berth.http.HttpServer;
import dev.berth.http.HttpServerConfig;
import dev.berth.http.Listener;
import dev.berth.http.Router;
import java.net.SocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The Docker Engine API server: every router wired to its backend, served by {@link HttpServer}
 * on the given listeners. API versions {@value #MIN_API_VERSION} to {@value #MAX_API_VERSION} are
 * accepted; version differences are handled in the routers and nowhere else.
 * Lifecycle: construct, {@link #start()}, {@link #stop()}. Thread-safe.
 */
public final class ApiServer implements AutoCloseable {
    public static final String MIN_API_VERSION = "1.24";
    public static final String MAX_API_VERSION = "1.50";
    /** The engine version shown in the {@code Server} header. */
    public static final String DEFAULT_ENGINE_VERSION = "28.2.2-berth";

    private final HttpServer http;

    public ApiServer(Backends backends, List<Listener> listeners) {
        this(backends, listeners, DEFAULT_ENGINE_VERSION, r -> {});
    }

    /**
     * @param engineVersion version for the {@code Server: Docker/<v> (linux)} header
     * @param extraRoutes   registers routes that take precedence over the built-in ones (e.g. build, archive)
     */
    public ApiServer(Backends backends, List<Listener> listeners, String engineVersion, Consumer<Router> extraRoutes) {
        Router router = new Router();
        extraRoutes.accept(router);
        registerAll(router, backends);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Api-Version", MAX_API_VERSION);
        headers.put("Docker-Experimental", "false");
        headers.put("Ostype", "linux");
        headers.put("Server", "Docker/" + engineVersion + " (linux)");
        this.http = new HttpServer(new HttpServerConfig(listeners, ApiVersion.parse(MIN_API_VERSION),
                ApiVersion.parse(MAX_API_VERSION), headers, 0), router);
    }

    /** Adds every built-in route for {@code backends} to {@code router}. */
    public static void registerAll(Router router, Backends backends) {
        new SystemRouter(backends.system()).register(router);
        new ContainerRouter(backends.containers()).register(router);
        new ContainerStreamRouter(backends.containers()).register(router);
        new ExecRouter(backends.exec()).register(router);
        new ImageRouter(backends.images()).register(router);
        new VolumeRouter(backends.volumes()).register(router);
        new NetworkRouter(backends.networks()).register(router);
        // Known Docker endpoints without a backend yet: say so instead of "page not found".
        router.post("/build", unsupported("docker build (legacy builder)"));
        router.post("/commit", unsupported("docker commit"));
        router.get("/images/search", unsupported("docker search"));
        router.get("/containers/{name}/changes", unsupported("docker diff"));
        router.get("/containers/{name}/archive", unsupported("docker cp"));
        router.head("/containers/{name}/archive", unsupported("docker cp"));
        router.put("/containers/{name}/archive", unsupported("docker cp"));
        router.get("/swarm", ex -> {
            throw new BerthException(ErrorKind.UNAVAILABLE, "This node is not a swarm manager. Use \"docker swarm init\" or "
                    + "\"docker swarm join\" to connect this node to swarm and try again.");
        });
    }

    private static Handler unsupported(String what) {
        return ex -> {
            throw new BerthException(ErrorKind.NOT_IMPLEMENTED, what + " is not supported by berth yet");
        };
    }

    /** Binds every listener (unix socket: parent dir created, stale file removed, mode 0660). */
    public void start() {
        http.start();
    }

    /** The bound addresses, in listener order (TCP port 0 resolved). */
    public List<SocketAddress> boundAddresses() {
        return http.boundAddresses();
    }

    /** Closes listeners and connections and removes socket files. */
    public void stop() {
        http.stop();
    }

    @Override
    public void close() {
        stop();
    }
}
