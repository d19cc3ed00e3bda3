package dev.berth.compose.cli;

import java.util.List;

/** Left-aligned columns separated by three spaces, like the docker CLI's tabwriter. */
final class Table {
    private Table() {}

    static void print(List<String[]> rows) {
        int cols = rows.stream().mapToInt(r -> r.length).max().orElse(0);
        int[] w = new int[cols];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                w[i] = Math.max(w[i], r[i] == null ? 0 : r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                String v = r[i] == null ? "" : r[i];
                line.append(v);
                if (i < r.length - 1) {
                    line.append(" ".repeat(w[i] - v.length() + 3));
                }
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        System.out.print(sb);
    }
}
