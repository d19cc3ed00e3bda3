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
        List<Listener> listeners = new java.util.ArrayList<>();
        listeners.add(new Listener.Unix(Path.of(args[0])));
        if (args.length > 2) { // <port> <tls dir with ca.pem cert.pem key.pem>: TCP with --tlsverify
            Path tls = Path.of(args[2]);
            listeners.add(new Listener.Tcp("127.0.0.1", Integer.parseInt(args[1]),
                    new Listener.TlsSettings(tls.resolve("cert.pem"), tls.resolve("key.pem"), tls.resolve("ca.pem"), true)));
        }
        ApiServer server = new ApiServer(new FakeBackends().backends(), listeners);
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
        Thread.currentThread().join();
    }
}
