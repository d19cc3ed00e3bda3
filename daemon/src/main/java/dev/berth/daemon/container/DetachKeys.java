package dev.berth.daemon.container;

import dev.berth.common.BerthException;
import java.util.Locale;

/**
 * Docker's detach key sequences ({@code term.ToBytes}): comma-separated keys, each a single
 * character or {@code ctrl-<c>} where c is a-z, @, [, \\, ], ^ or _. Default ctrl-p,ctrl-q.
 */
public final class DetachKeys {
    public static final byte[] DEFAULT = {16, 17};

    private DetachKeys() {}

    public static byte[] parse(String keys) {
        if (keys == null || keys.isEmpty()) {
            return DEFAULT;
        }
        String[] parts = keys.split(",");
        byte[] out = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String k = parts[i].trim();
            String lower = k.toLowerCase(Locale.ROOT);
            if (k.length() > 1) {
                if (!lower.startsWith("ctrl-") || k.length() != 6) {
                    throw BerthException.invalid("Invalid escape keys (%s) provided", keys);
                }
                char c = lower.charAt(5);
                if (c >= 'a' && c <= 'z') {
                    out[i] = (byte) (c - 'a' + 1);
                } else {
                    out[i] = switch (c) {
                        case '@' -> 0;
                        case '[' -> 27;
                        case '\\' -> 28;
                        case ']' -> 29;
                        case '^' -> 30;
                        case '_' -> 31;
                        default -> throw BerthException.invalid("Invalid escape keys (%s) provided", keys);
                    };
                }
            } else if (k.length() == 1) {
                out[i] = (byte) k.charAt(0);
            } else {
                throw BerthException.invalid("Invalid escape keys (%s) provided", keys);
            }
        }
        return out;
    }

    /**
     * Scans client input for the detach sequence, holding back bytes that could begin it (as
     * Docker's escapeProxy). Not thread-safe; one per stdin copier.
     */
    public static final class Matcher {
        private final byte[] keys;
        private int matched;

        public Matcher(byte[] keys) {
            this.keys = keys;
        }

        /**
         * Feeds {@code buf[0..len)}; writes what must be forwarded to {@code forward}. Returns true
         * when the full sequence was seen (the rest of the buffer is dropped).
         */
        public boolean feed(byte[] buf, int len, java.io.ByteArrayOutputStream forward) {
            for (int i = 0; i < len; i++) {
                byte b = buf[i];
                if (keys.length > 0 && b == keys[matched]) {
                    matched++;
                    if (matched == keys.length) {
                        matched = 0;
                        return true;
                    }
                    continue;
                }
                if (matched > 0) {
                    forward.write(keys, 0, matched);
                    matched = 0;
                    if (b == keys[0]) {
                        matched = 1;
                        if (matched == keys.length) {
                            matched = 0;
                            return true;
                        }
                        continue;
                    }
                }
                forward.write(b);
            }
            return false;
        }
    }
}
