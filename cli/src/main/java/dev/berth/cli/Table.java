package dev.berth.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Docker's table layout: Go's tabwriter with min width 10, padding 3 and spaces; the last column
 * is not padded. Rows are collected and written at once. Not thread-safe.
 */
final class Table {
    private static final int PADDING = 3;
    private final List<String[]> rows = new ArrayList<>();
    private final int minWidth;

    Table() {
        this(10);
    }

    /** A table whose cells are at least {@code minWidth} wide including padding ({@code top} uses 20). */
    Table(int minWidth) {
        this.minWidth = minWidth;
    }

    /** Adds one line whose cells are separated by tab characters. */
    Table line(String tabSeparated) {
        rows.add(tabSeparated.split("\t", -1));
        return this;
    }

    Table row(String... cells) {
        rows.add(cells);
        return this;
    }

    void print(PrintStream out) {
        StringBuilder sb = new StringBuilder();
        for (String s : render()) {
            sb.append(s).append('\n');
        }
        out.print(sb);
        out.flush();
    }

    List<String> render() {
        int cols = 0;
        for (String[] r : rows) {
            cols = Math.max(cols, r.length);
        }
        int[] width = new int[cols];
        for (String[] r : rows) {
            // Only cells followed by another cell are aligned (tabwriter: terminated cells).
            for (int i = 0; i < r.length - 1; i++) {
                width[i] = Math.max(width[i], Math.max(minWidth, r[i].codePointCount(0, r[i].length()) + PADDING));
            }
        }
        List<String> out = new ArrayList<>(rows.size());
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                sb.append(r[i]);
                if (i < r.length - 1) {
                    sb.repeat(' ', width[i] - r[i].codePointCount(0, r[i].length()));
                }
            }
            out.add(sb.toString());
        }
        return out;
    }
}
