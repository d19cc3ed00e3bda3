package dev.berth.common;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content digest such as {@code sha256:<64 hex>}. Immutable and thread-safe.
 *
 * @param algorithm the algorithm name, e.g. {@code sha256}
 * @param hex the lower-case hex encoding of the hash
 */
public record Digest(String algorithm, String hex) {
    private static final Pattern SHA256 = Pattern.compile("[a-f0-9]{64}");
    private static final Pattern SHA512 = Pattern.compile("[a-f0-9]{128}");

    public Digest {
        boolean ok = switch (algorithm) {
            case "sha256" -> SHA256.matcher(hex).matches();
            case "sha512" -> SHA512.matcher(hex).matches();
            default -> false;
        };
        if (!ok) {
            throw BerthException.invalid("invalid digest %s:%s", algorithm, hex);
        }
    }

    /** Parses {@code algo:hex}; throws INVALID_ARGUMENT on anything else. */
    public static Digest parse(String s) {
        int colon = s == null ? -1 : s.indexOf(':');
        if (colon <= 0) {
            throw BerthException.invalid("invalid digest format: %s", s);
        }
        return new Digest(s.substring(0, colon), s.substring(colon + 1));
    }

    /** True when {@code s} parses as a digest. */
    public static boolean isDigest(String s) {
        try {
            parse(s);
            return true;
        } catch (BerthException e) {
            return false;
        }
    }

    public static Digest sha256(byte[] data) {
        return new Digest("sha256", HexFormat.of().formatHex(newSha256().digest(data)));
    }

    public static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Digest ofSha256(MessageDigest md) {
        return new Digest("sha256", HexFormat.of().formatHex(md.digest()));
    }

    /** The first 12 hex characters, as Docker shows short ids. */
    public String shortHex() {
        return hex.substring(0, 12);
    }

    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }
}
