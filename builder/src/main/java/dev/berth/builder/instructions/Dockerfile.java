package dev.berth.builder.instructions;

import dev.berth.builder.parse.Directives;
import java.util.List;

/**
 * A parsed Dockerfile: its directives and instructions in order (global ARGs first, then each
 * stage's FROM and its instructions). Immutable.
 */
public record Dockerfile(Directives directives, List<Instruction> instructions) {
    public Dockerfile {
        instructions = List.copyOf(instructions);
    }

    /** Parses Dockerfile text; throws {@link dev.berth.builder.parse.DockerfileParseException}. */
    public static Dockerfile parse(String text) {
        return new InstructionParser().parse(text);
    }

    public char escape() {
        return directives.escape();
    }
}
