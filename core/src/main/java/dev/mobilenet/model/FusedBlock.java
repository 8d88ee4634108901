package dev.mobilenet.model;

import java.util.List;

/**
 * A compiled block: its steps in order and whether it adds its input to its output (the residual).
 *
 * @param name timm's module path, e.g. {@code blocks.3.1}
 */
public record FusedBlock(String name, List<FusedStep> steps, boolean skip) implements FusedStep {
    public FusedBlock {
        steps = List.copyOf(steps);
    }

    @Override
    public void accept(Visitor v) {
        v.block(this);
    }
}
