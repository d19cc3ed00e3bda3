package dev.berth.builder.parse;

import java.util.Collection;
import java.util.Locale;

/** "did you mean …?" suggestions by edit distance, as BuildKit's suggest package gives. */
public final class Suggest {
    private Suggest() {}

    /** The closest candidate within a small edit distance, or null. Case-insensitive. */
    public static String closest(String value, Collection<String> candidates) {
        String v = value.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDist = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(v, c.toLowerCase(Locale.ROOT));
            if (d < bestDist) {
                bestDist = d;
                best = c;
            }
        }
        int limit = Math.max(1, v.length() / 2);
        return best != null && bestDist > 0 && bestDist <= limit ? best : null;
    }

    /** Optimal-string-alignment distance (Levenshtein plus adjacent transposition). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
