package dev.mobilenet.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command's standard output (picocli's writer) and standard error (raw, for progress bars and notices). */
@Command
final class Streams {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    PrintWriter out() {
        return mixee.commandLine().getOut();
    }

    PrintStream err() {
        return ((Main) mixee.root().userObject()).err();
    }

    boolean verbose() {
        return ((Main) mixee.root().userObject()).verbose;
    }
}
