package dev.berth.http;

import java.nio.file.Path;
import java.util.Objects;

/** One address the server accepts connections on. Several listeners may be active at once. */
public sealed interface Listener {

    /**
     * A unix stream socket. On start the parent directory is created, a stale socket file is
     * removed, and the new socket is made mode 0660; on stop the file is removed.
     */
    record Unix(Path path) implements Listener {
        public Unix {
            Objects.requireNonNull(path, "path");
        }
    }

    /** A TCP socket; port 0 picks a free port (see {@link HttpServer#boundAddresses()}). TLS when {@code tls} is non-null. */
    record Tcp(String host, int port, TlsSettings tls) implements Listener {
        public Tcp {
            Objects.requireNonNull(host, "host");
        }

        public Tcp(String host, int port) {
            this(host, port, null);
        }
    }

    /**
     * PEM files for TLS. With {@code verifyClients} ({@code --tlsverify}) clients must present a
     * certificate signed by {@code caFile}.
     */
    record TlsSettings(Path certFile, Path keyFile, Path caFile, boolean verifyClients) {
        public TlsSettings {
            Objects.requireNonNull(certFile, "certFile");
            Objects.requireNonNull(keyFile, "keyFile");
            if (verifyClients && caFile == null) {
                throw new IllegalArgumentException("--tlsverify needs a CA certificate (--tlscacert)");
            }
        }
    }
}
