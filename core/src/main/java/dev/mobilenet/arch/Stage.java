package dev.mobilenet.arch;

import java.util.List;

/** A stage of an architecture table: the rows that timm builds into one {@code blocks.N} sequential. */
public record Stage(List<BlockRow> rows) {
    public Stage {
        rows = List.copyOf(rows);
    }

    public static Stage of(BlockRow... rows) {
        return new Stage(List.of(rows));
    }
}
