package dev.berth.builder.plan;

import dev.berth.builder.instructions.Instruction;
import java.util.List;

/**
 * One build stage: its FROM and the instructions after it, up to the next FROM.
 *
 * @param index 0-based position among the stages
 * @param name the lower-case {@code AS} name, or null
 * @param from the stage's FROM instruction
 * @param instructions the instructions after FROM, in order
 */
public record Stage(int index, String name, Instruction.From from, List<Instruction> instructions) {
    public Stage {
        instructions = List.copyOf(instructions);
    }

    /** The name if any, else the index as text (how errors refer to a stage). */
    public String label() {
        return name != null ? name : Integer.toString(index);
    }
}
