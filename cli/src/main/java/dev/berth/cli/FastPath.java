package dev.berth.cli;

import dev.berth.client.BerthClient;
import dev.berth.common.BerthException;
import java.util.List;

/**
 * Runs the most frequent simple invocations ({@code berth version}, {@code berth ps [-a] [-q]
 * [--no-trunc]}) without picocli. Picocli's classes are Java 5 class files, which the JDK AOT
 * cache cannot hold, and loading them costs a large part of a short command's start-up. Anything
 * else returns null and goes through picocli as usual, so behaviour is the same either way.
 */
final class FastPath {
    private FastPath() {}

    /** The exit code if handled here, else null. */
    static Integer tryRun(String[] args) {
        if (args.length == 0) {
            return null;
        }
        try {
            if (args.length == 1 && args[0].equals("version")) {
                return VersionCmd.print(BerthClient.connect(null), null, System.out);
            }
            if (args[0].equals("ps")) {
                boolean all = false;
                boolean quiet = false;
                boolean noTrunc = false;
                for (int i = 1; i < args.length; i++) {
                    switch (args[i]) {
                        case "-a", "--all" -> all = true;
                        case "-q", "--quiet" -> quiet = true;
                        case "-aq", "-qa" -> {
                            all = true;
                            quiet = true;
                        }
                        case "--no-trunc" -> noTrunc = true;
                        default -> {
                            return null;
                        }
                    }
                }
                return PsCmd.list(BerthClient.connect(null), System.out, all, quiet, noTrunc, -1, false, false, List.of(), null);
            }
        } catch (BerthException e) {
            System.err.println(Main.describe(e));
            return 1;
        }
        return null;
    }
}
