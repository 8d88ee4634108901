package dev.mobilenet.model;

import java.util.List;

/** A compiled block: its steps in order and whether it adds its input to its output (the residual). */
public final class FusedBlock implements FusedStep {
    private final String name;
    final FusedStep[] steps;
    final boolean skip;

    FusedBlock(String name, FusedStep[] steps, boolean skip) {
        this.name = name;
        this.steps = steps;
        this.skip = skip;
    }

    /** timm's module path, e.g. {@code blocks.3.1}. */
    @Override
    public String name() {
        return name;
    }

    public List<FusedStep> steps() {
        return List.of(steps);
    }

    public boolean skip() {
        return skip;
    }

    @Override
    public void accept(Visitor v) {
        v.block(this);
    }
}
