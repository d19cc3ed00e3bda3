package dev.berth.cli;

import dev.berth.client.BerthClient;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Base of every subcommand: access to the client and the output streams. Subcommands return
 * their exit code; engine errors propagate to {@link Main}, which prints them as docker does.
 */
abstract class BaseCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean helpRequested;

    final PrintStream out = System.out;
    final PrintStream err = System.err;

    BerthClient client() {
        return root().client();
    }

    Berth root() {
        return (Berth) spec.root().userObject();
    }

    /** The exit code for an engine error in this command: docker uses 125 for run/create, else 1. */
    int daemonErrorExit() {
        return 1;
    }

    /** How engine errors are printed: "docker: …" plus a help hint for run/create, plain otherwise. */
    boolean runStyleErrors() {
        return false;
    }

    /** Runs {@code action} for each argument; prints errors per argument as docker does; exit 1 if any failed. */
    int forEach(java.util.List<String> args, java.util.function.Consumer<String> action) {
        int rc = 0;
        for (String a : args) {
            try {
                action.accept(a);
            } catch (dev.berth.common.BerthException e) {
                err.println(Main.describe(e));
                rc = 1;
            }
        }
        return rc;
    }
}
