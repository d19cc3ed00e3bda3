package dev.berth.server;

import dev.berth.http.Listener;
import java.nio.file.Path;
import java.util.List;

/**
 * Manual check against the real docker CLI: serves {@link FakeBackends} on a unix socket.
 * {@code java -cp <test classpath> dev.berth.server.TestDaemonMain /tmp/x.sock}, then
 * {@code DOCKER_HOST=unix:///tmp/x.sock docker version}.
 */
public final class TestDaemonMain {
    private TestDaemonMain() {}

    public static void main(String[] args) throws InterruptedException {
        ApiServer server = new ApiServer(new FakeBackends().backends(), List.of(new Listener.Unix(Path.of(args[0]))));
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
        Thread.currentThread().join();
    }
}
