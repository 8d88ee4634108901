package dev.mobilenet.cli;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** At most one ASCII progress bar at a time on stderr, drawn only when bars are shown (stderr is a terminal). */
final class StderrBar {
    final PrintStream err;
    private final boolean shown;
    private ProgressBar bar;

    StderrBar(PrintStream err, boolean shown) {
        this.err = err;
        this.shown = shown;
    }

    /** True when bars are shown and none is open: the caller may {@link #open} one. */
    boolean canOpen() {
        return shown && bar == null;
    }

    /** Opens the bar {@code b} describes (task, size, unit) in place of any open one; nothing when not shown. */
    void open(ProgressBarBuilder b) {
        if (shown) {
            close();
            bar = b.setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(err)).build();
        }
    }

    boolean isOpen() {
        return bar != null;
    }

    /** Moves the open bar, if any, to {@code n}. */
    void stepTo(long n) {
        if (bar != null) {
            bar.stepTo(n);
        }
    }

    /** The text after the open bar. */
    void message(String text) {
        if (bar != null) {
            bar.setExtraMessage(text);
        }
    }

    void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
