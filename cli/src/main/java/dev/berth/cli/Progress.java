package dev.berth.cli;

import dev.berth.api.model.JsonMessage;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;

/**
 * Renders the engine's JSON progress messages as docker's jsonmessage does. On a terminal each
 * layer id owns one line that is rewritten in place (ANSI cursor up / erase line) with a
 * progress bar; otherwise status lines are printed once and byte-progress updates are dropped.
 * Not thread-safe: one instance per stream.
 */
final class Progress {
    private final PrintStream out;
    private final boolean tty;
    private final Map<String, Integer> lines = new HashMap<>();
    private int count;

    Progress(PrintStream out, boolean tty) {
        this.out = out;
        this.tty = tty;
    }

    /** A renderer that draws bars when stdout is a terminal. */
    static Progress forStdout(PrintStream out) {
        return new Progress(out, Terminal.isTerminal() && !"dumb".equals(System.getenv("TERM")));
    }

    void accept(JsonMessage m) {
        if (m.stream() != null) {
            out.print(m.stream());
            out.flush();
            return;
        }
        if (m.status() == null) {
            return;
        }
        boolean hasBar = m.progressDetail() != null && m.progressDetail().current() != null;
        if (!tty) {
            if (hasBar || m.progress() != null && !m.progress().isEmpty()) {
                return; // byte counts are noise in a log
            }
            out.println((m.id() != null ? m.id() + ": " : "") + m.status());
            out.flush();
            return;
        }
        String text = (m.id() != null ? m.id() + ": " : "") + m.status()
                + (hasBar ? " " + bar(m.progressDetail().current(), m.progressDetail().total())
                : m.progress() != null && !m.progress().isEmpty() ? " " + m.progress() : "");
        if (m.id() == null) {
            out.print(text + "\n");
            lines.clear();
            count = 0;
            out.flush();
            return;
        }
        Integer line = lines.get(m.id());
        if (line == null) {
            lines.put(m.id(), count++);
            out.print("\u001b[2K\r" + text + "\n");
        } else {
            int up = count - line;
            out.print("\u001b[" + up + "A\u001b[2K\r" + text + "\u001b[" + up + "B\r");
        }
        out.flush();
    }

    /** docker's bar: {@code [=====>     ]  1.2MB/3.4MB}. */
    static String bar(long current, Long total) {
        if (total == null || total <= 0) {
            return Fmt.humanSize4(current);
        }
        int width = 50;
        int filled = (int) Math.min(width, current * width / total);
        // as docker's jsonmessage: filled '=' then '>' then the rest in spaces; HumanSize (4 digits)
        String b = "=".repeat(filled) + ">" + " ".repeat(Math.max(0, width - filled));
        return "[" + b + "] " + String.format("%8s/%s", Fmt.humanSize4(current), Fmt.humanSize4(total));
    }
}
