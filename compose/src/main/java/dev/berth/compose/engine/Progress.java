package dev.berth.compose.engine;

import java.io.PrintStream;

/** Progress lines in Docker Compose's plain style (" ✔ Container x  Started"). Thread-safe. */
public final class Progress {
    private final PrintStream out;

    public Progress(PrintStream out) {
        this.out = out;
    }

    public synchronized void event(String kind, String name, String status) {
        out.println(" ✔ " + kind + " " + name + "  " + status);
        out.flush();
    }

    public synchronized void warn(String message) {
        out.println("WARN[0000] " + message);
        out.flush();
    }

    public synchronized void line(String message) {
        out.println(message);
        out.flush();
    }
}
