package dev.berth.registry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * Basic-auth users from an htpasswd file with bcrypt entries ({@code user:$2y$…} as
 * {@code htpasswd -B} writes them; registry/2 accepts only bcrypt too). Loaded once. Successful
 * checks are remembered (by a hash of the credentials) because bcrypt is deliberately slow and
 * clients send the header on every request. Thread-safe.
 */
public final class Htpasswd {
    private final Map<String, String> users;
    private final Set<String> verified = ConcurrentHashMap.newKeySet();

    public Htpasswd(Map<String, String> users) {
        this.users = Map.copyOf(users);
    }

    public static Htpasswd load(Path file) throws IOException {
        Map<String, String> users = new HashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String l = line.trim();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            int colon = l.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String hash = l.substring(colon + 1);
            if (!hash.startsWith("$2")) {
                throw new IOException("htpasswd entry for " + l.substring(0, colon) + " is not bcrypt (use htpasswd -B)");
            }
            users.put(l.substring(0, colon), hash);
        }
        return new Htpasswd(users);
    }

    /** A bcrypt htpasswd line for {@code user} (for tests and setup tools). */
    public static String entry(String user, String password, int cost) {
        byte[] salt = new byte[16];
        new java.security.SecureRandom().nextBytes(salt);
        return user + ":" + OpenBSDBCrypt.generate("2y", password.toCharArray(), salt, cost);
    }

    public boolean check(String user, String password) {
        String hash = users.get(user);
        if (hash == null || password == null) {
            return false;
        }
        String key = key(user, password, hash);
        if (verified.contains(key)) {
            return true;
        }
        boolean ok;
        try {
            ok = OpenBSDBCrypt.checkPassword(hash, password.toCharArray());
        } catch (IllegalArgumentException e) {
            ok = false;
        }
        if (ok) {
            verified.add(key);
        }
        return ok;
    }

    /** Checks an {@code Authorization: Basic …} header value. */
    public boolean checkHeader(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = decoded.indexOf(':');
        return colon > 0 && check(decoded.substring(0, colon), decoded.substring(colon + 1));
    }

    private static String key(String user, String password, String hash) {
        MessageDigest md = dev.berth.common.Digest.newSha256();
        md.update((user + "\0" + password + "\0" + hash).getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(md.digest());
    }
}
