package dev.mobilenet.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/** A command that writes to its {@link Streams} (picocli reads the annotated fields of superclasses too). */
abstract class StreamsCommand implements Callable<Integer> {
    @Mixin
    Streams io;
}
