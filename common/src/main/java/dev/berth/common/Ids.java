package dev.berth.common;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Object ids as Docker makes them: 64 random hex characters, shown truncated to 12. */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern HEX64 = Pattern.compile("[a-f0-9]{64}");

    private Ids() {}

    /** A new random 64-hex id whose first 12 characters are not all digits (as Docker ensures). */
    public static String newId() {
        byte[] b = new byte[32];
        while (true) {
            RANDOM.nextBytes(b);
            String id = HexFormat.of().formatHex(b);
            if (!id.substring(0, 12).chars().allMatch(Character::isDigit)) {
                return id;
            }
        }
    }

    public static String shortId(String id) {
        String hex = id.startsWith("sha256:") ? id.substring(7) : id;
        return hex.length() > 12 ? hex.substring(0, 12) : hex;
    }

    public static boolean isFullId(String s) {
        return s != null && HEX64.matcher(s).matches();
    }
}
