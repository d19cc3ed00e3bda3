package dev.berth.builder.instructions;

import dev.berth.builder.parse.Heredoc;
import java.util.List;

/**
 * One Dockerfile instruction, as parsed and before variable substitution. A closed set: switch
 * over it with pattern matching. Values that may contain variables are kept as written (quotes
 * and escapes included) and are expanded when the instruction is dispatched, because only then
 * is the environment known. Every record carries its {@link Origin} (original text and lines).
 */
public sealed interface Instruction {

    Origin origin();

    /** The instruction's original text, e.g. {@code RUN echo hi}, as "Step N/M : …" prints it. */
    default String original() {
        return origin().original();
    }

    /** Where an instruction came from. */
    record Origin(String original, int startLine, int endLine) {}

    /** A key and a raw (unexpanded) value, for ENV and LABEL. */
    record KeyValue(String key, String value) {}

    /** An ARG declaration; {@code defaultValue} is raw and null when none was given. */
    record ArgDecl(String name, String defaultValue) {
        @Override
        public String toString() {
            return defaultValue == null ? name : name + "=" + defaultValue;
        }
    }

    /**
     * A command for RUN, CMD, ENTRYPOINT or HEALTHCHECK CMD.
     *
     * @param args exec form: the JSON array elements; shell form: one element, the command line
     * @param execForm true for the JSON (exec) form
     */
    record CommandLine(List<String> args, boolean execForm) {
        public CommandLine {
            args = List.copyOf(args);
        }
    }

    record From(Origin origin, String image, String stageName, String platform) implements Instruction {}

    /**
     * RUN. The classic builder supports none of the flags; they are kept as data so that the
     * builder can refuse them with Docker's message. {@code flagsUsed} lists the flag names in the
     * order written.
     */
    record Run(Origin origin, CommandLine command, List<String> mounts, String network, String security,
               List<String> flagsUsed, List<Heredoc> heredocs) implements Instruction {
        public Run {
            mounts = List.copyOf(mounts);
            flagsUsed = List.copyOf(flagsUsed);
            heredocs = List.copyOf(heredocs);
        }
    }

    record Cmd(Origin origin, CommandLine command) implements Instruction {}

    record Entrypoint(Origin origin, CommandLine command) implements Instruction {}

    record Shell(Origin origin, List<String> shell) implements Instruction {
        public Shell {
            shell = List.copyOf(shell);
        }
    }

    record Label(Origin origin, List<KeyValue> labels) implements Instruction {
        public Label {
            labels = List.copyOf(labels);
        }
    }

    record Maintainer(Origin origin, String maintainer) implements Instruction {}

    record Expose(Origin origin, List<String> ports) implements Instruction {
        public Expose {
            ports = List.copyOf(ports);
        }
    }

    record Env(Origin origin, List<KeyValue> vars) implements Instruction {
        public Env {
            vars = List.copyOf(vars);
        }
    }

    /** ADD. Sources may be context paths, URLs, or heredoc markers ({@code <<EOF}). */
    record Add(Origin origin, List<String> sources, String dest, String chown, String chmod, boolean link,
               String checksum, boolean keepGitDir, Boolean unpack, List<String> excludes,
               List<Heredoc> heredocs, List<String> flagsUsed) implements Instruction {
        public Add {
            sources = List.copyOf(sources);
            excludes = List.copyOf(excludes);
            heredocs = List.copyOf(heredocs);
            flagsUsed = List.copyOf(flagsUsed);
        }
    }

    /** COPY. {@code from} is a stage name, stage index or image reference, or null. */
    record Copy(Origin origin, List<String> sources, String dest, String from, String chown, String chmod,
                boolean link, boolean parents, List<String> excludes, List<Heredoc> heredocs,
                List<String> flagsUsed) implements Instruction {
        public Copy {
            sources = List.copyOf(sources);
            excludes = List.copyOf(excludes);
            heredocs = List.copyOf(heredocs);
            flagsUsed = List.copyOf(flagsUsed);
        }
    }

    record Volume(Origin origin, List<String> volumes) implements Instruction {
        public Volume {
            volumes = List.copyOf(volumes);
        }
    }

    record User(Origin origin, String user) implements Instruction {}

    record Workdir(Origin origin, String path) implements Instruction {}

    record Arg(Origin origin, List<ArgDecl> args) implements Instruction {
        public Arg {
            args = List.copyOf(args);
        }
    }

    /** ONBUILD: {@code expression} is the trigger text as written, stored in the image config. */
    record Onbuild(Origin origin, Instruction trigger, String expression) implements Instruction {}

    record StopSignal(Origin origin, String signal) implements Instruction {}

    /**
     * HEALTHCHECK. {@code test} is {@code ["NONE"]}, {@code ["CMD", args…]} or
     * {@code ["CMD-SHELL", line]}; durations are nanoseconds, 0 meaning "not set".
     */
    record Healthcheck(Origin origin, List<String> test, long interval, long timeout, long startPeriod,
                       long startInterval, int retries) implements Instruction {
        public Healthcheck {
            test = List.copyOf(test);
        }

        public boolean none() {
            return test.size() == 1 && test.getFirst().equals("NONE");
        }
    }
}
