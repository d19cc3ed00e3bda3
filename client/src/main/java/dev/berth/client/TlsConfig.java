package dev.berth.client;

import dev.berth.common.BerthException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS settings for a TCP engine, as the docker CLI takes them: {@code --tls} (encrypt, no
 * server check), {@code --tlsverify} (check the server against {@code ca.pem}), client
 * certificate {@code cert.pem} + {@code key.pem} (PKCS#8 "PRIVATE KEY" PEM; RSA or EC).
 * Immutable; the SSLContext is built on demand and may be shared by threads.
 *
 * @param caCert CA bundle to trust (null: the JDK's trust store, or trust all when !verify)
 * @param cert client certificate chain, or null
 * @param key client private key, or null
 * @param verify whether to check the server's certificate and host name
 */
public record TlsConfig(Path caCert, Path cert, Path key, boolean verify) {
    /**
     * From docker's environment: {@code DOCKER_TLS_VERIFY} (non-empty → verify) or
     * {@code DOCKER_TLS}, with files in {@code DOCKER_CERT_PATH} (default ~/.docker); null when
     * neither variable is set.
     */
    public static TlsConfig fromEnv(Map<String, String> env) {
        boolean verify = env.get("DOCKER_TLS_VERIFY") != null && !env.get("DOCKER_TLS_VERIFY").isEmpty();
        boolean tls = env.get("DOCKER_TLS") != null && !env.get("DOCKER_TLS").isEmpty();
        if (!verify && !tls) {
            return null;
        }
        String dir = env.get("DOCKER_CERT_PATH");
        return inDir(dir == null || dir.isEmpty() ? Path.of(System.getProperty("user.home"), ".docker") : Path.of(dir), verify);
    }

    /** ca.pem, cert.pem and key.pem in {@code dir}, each used if present. */
    public static TlsConfig inDir(Path dir, boolean verify) {
        Path ca = dir.resolve("ca.pem");
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        return new TlsConfig(Files.exists(ca) ? ca : null, Files.exists(cert) ? cert : null,
                Files.exists(key) ? key : null, verify);
    }

    SSLContext context() {
        try {
            KeyManagerFactory kmf = null;
            if (cert != null && key != null) {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                ks.setKeyEntry("client", privateKey(key), new char[0], certs(cert).toArray(Certificate[]::new));
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, new char[0]);
            }
            javax.net.ssl.TrustManager[] tms;
            if (!verify) {
                tms = new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
                    @Override
                    public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a) {}

                    @Override
                    public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a) {
                        // --tls without --tlsverify: encrypted, server not checked (docker's behaviour)
                    }

                    @Override
                    public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                        return new java.security.cert.X509Certificate[0];
                    }
                }};
            } else {
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                if (caCert != null) {
                    KeyStore ts = KeyStore.getInstance("PKCS12");
                    ts.load(null, null);
                    int i = 0;
                    for (Certificate c : certs(caCert)) {
                        ts.setCertificateEntry("ca" + i++, c);
                    }
                    tmf.init(ts);
                } else {
                    tmf.init((KeyStore) null);
                }
                tms = tmf.getTrustManagers();
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tms, null);
            return ctx;
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw BerthException.invalid("could not set up TLS: %s", e.getMessage());
        }
    }

    private static List<Certificate> certs(Path pem) throws IOException, java.security.GeneralSecurityException {
        try (InputStream in = Files.newInputStream(pem)) {
            return new ArrayList<>(CertificateFactory.getInstance("X.509").generateCertificates(in));
        }
    }

    private static PrivateKey privateKey(Path pem) throws IOException, java.security.GeneralSecurityException {
        String text = Files.readString(pem, StandardCharsets.US_ASCII);
        if (!text.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new java.security.spec.InvalidKeySpecException(pem + ": only PKCS#8 keys (\"BEGIN PRIVATE KEY\") are supported;"
                    + " convert with: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.pem");
        }
        String b64 = text.substring(text.indexOf("-----BEGIN PRIVATE KEY-----") + 27, text.indexOf("-----END PRIVATE KEY-----"))
                .replaceAll("\\s", "");
        byte[] der = Base64.getDecoder().decode(b64);
        for (String alg : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (java.security.spec.InvalidKeySpecException e) {
                // try the next algorithm
            }
        }
        throw new java.security.spec.InvalidKeySpecException(pem + ": unsupported key type");
    }
}
