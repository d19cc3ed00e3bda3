package dev.berth.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The controlling terminal: size, raw mode and restore. The only class in the CLI that spawns a
 * process ({@code stty} on {@code /dev/tty}), because Java has no termios API. Not thread-safe;
 * one instance per command.
 */
final class Terminal {
    private String saved;

    /** True when stdin and stdout are a terminal. */
    static boolean isTerminal() {
        java.io.Console c = System.console();
        return c != null && c.isTerminal();
    }

    /** {@code [rows, cols]} of the terminal, or null when unknown. */
    static int[] size() {
        String s = stty("size");
        if (s == null) {
            return null;
        }
        String[] p = s.trim().split("\\s+");
        try {
            return new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1])};
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Puts the terminal in raw mode without echo, remembering the previous state. */
    void makeRaw() {
        saved = stty("-g");
        if (saved != null) {
            saved = saved.trim();
            stty("raw", "-echo");
        }
    }

    /** Restores the state saved by {@link #makeRaw}; safe to call twice. */
    void restore() {
        if (saved != null) {
            stty(saved);
            saved = null;
        }
    }

    /**
     * Sends the current size now and again on every SIGWINCH (docker's resize forwarding). The
     * callback runs on the signal-dispatch thread; failures are ignored (best-effort, as docker).
     */
    static void resizeAndWatch(java.util.function.Consumer<int[]> resize) {
        Runnable send = () -> {
            int[] s = size();
            if (s != null) {
                try {
                    resize.accept(s);
                } catch (RuntimeException ignored) {
                    // the container may have exited
                }
            }
        };
        send.run();
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("WINCH"), sig -> send.run());
        } catch (IllegalArgumentException ignored) {
            // no SIGWINCH on this platform
        }
    }

    private static String stty(String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "stty";
        System.arraycopy(args, 0, cmd, 1, args.length);
        try {
            Process p = new ProcessBuilder(cmd).redirectInput(new File("/dev/tty"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
