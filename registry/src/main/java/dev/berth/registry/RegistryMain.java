package dev.berth.registry;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code berth registry serve --addr 127.0.0.1:5000 --root DIR [--htpasswd FILE] [--tls-cert PEM --tls-key PEM]}
 * and {@code berth registry garbage-collect --root DIR [--dry-run] [--delete-untagged]}.
 */
public final class RegistryMain {
    private RegistryMain() {}

    public static void main(String[] args) throws Exception {
        String cmd = args.length > 0 && !args[0].startsWith("-") ? args[0] : "serve";
        int i = args.length > 0 && !args[0].startsWith("-") ? 1 : 0;
        String addr = "127.0.0.1:5000";
        Path root = null;
        Path htpasswd = null;
        Path cert = null;
        Path key = null;
        boolean dryRun = false;
        boolean untagged = false;
        String tokenRealm = null;
        String tokenService = null;
        String tokenIssuer = null;
        Path tokenKey = null;
        for (; i < args.length; i++) {
            String a = args[i];
            String v = null;
            int eq = a.indexOf('=');
            if (eq > 0) {
                v = a.substring(eq + 1);
                a = a.substring(0, eq);
            }
            switch (a) {
                case "--addr" -> addr = v != null ? v : args[++i];
                case "--root" -> root = Path.of(v != null ? v : args[++i]);
                case "--htpasswd" -> htpasswd = Path.of(v != null ? v : args[++i]);
                case "--tls-cert" -> cert = Path.of(v != null ? v : args[++i]);
                case "--tls-key" -> key = Path.of(v != null ? v : args[++i]);
                case "--token-realm" -> tokenRealm = v != null ? v : args[++i];
                case "--token-service" -> tokenService = v != null ? v : args[++i];
                case "--token-issuer" -> tokenIssuer = v != null ? v : args[++i];
                case "--token-key" -> tokenKey = Path.of(v != null ? v : args[++i]);
                case "--dry-run" -> dryRun = true;
                case "--delete-untagged" -> untagged = true;
                case "-h", "--help" -> {
                    usage();
                    return;
                }
                default -> {
                    System.err.println("unknown option: " + a);
                    usage();
                    System.exit(2);
                }
            }
        }
        if (root == null) {
            System.err.println("--root is required");
            System.exit(2);
        }
        switch (cmd) {
            case "serve" -> {
                int colon = addr.lastIndexOf(':');
                String host = colon > 0 ? addr.substring(0, colon) : "0.0.0.0";
                int port = Integer.parseInt(addr.substring(colon + 1));
                if ((cert == null) != (key == null)) {
                    System.err.println("--tls-cert and --tls-key go together");
                    System.exit(2);
                }
                RegistryServer.Config c = RegistryServer.Config.of(host, port, root).withHtpasswd(htpasswd).withTls(cert, key);
                if (tokenKey != null) {
                    if (tokenRealm == null || tokenService == null || tokenIssuer == null) {
                        System.err.println("--token-key needs --token-realm, --token-service and --token-issuer");
                        System.exit(2);
                    }
                    c = c.withToken(TokenAuth.load(tokenRealm, tokenService, tokenIssuer, tokenKey));
                }
                RegistryServer server = new RegistryServer(c);
                server.start();
                System.err.println("registry listening on " + (cert != null ? "https://" : "http://") + server.hostPort());
                CountDownLatch stop = new CountDownLatch(1);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    server.close();
                    stop.countDown();
                }));
                stop.await();
            }
            case "garbage-collect", "gc" -> {
                GarbageCollector.Result r = new GarbageCollector(new RegistryStorage(root)).run(dryRun, untagged);
                for (var d : r.deleted()) {
                    System.out.println((dryRun ? "would delete " : "deleted ") + d);
                }
                System.out.println(r.marked() + " blobs marked, " + r.deleted().size() + " blobs " + (dryRun ? "eligible for deletion" : "deleted")
                        + (dryRun ? "" : ", " + r.purgedUploads() + " abandoned uploads purged"));
            }
            default -> {
                usage();
                System.exit(2);
            }
        }
    }

    private static void usage() {
        System.err.println("usage: registry serve --addr HOST:PORT --root DIR [--htpasswd FILE] [--tls-cert PEM --tls-key PEM]\n"
                + "                [--token-realm URL --token-service NAME --token-issuer ISS --token-key PEM]\n"
                + "       registry garbage-collect --root DIR [--dry-run] [--delete-untagged]");
    }
}
