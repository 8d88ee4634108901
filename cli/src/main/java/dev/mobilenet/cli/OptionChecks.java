package dev.mobilenet.cli;

import dev.mobilenet.MobileNetException;

/** Checks of option values that the library does not make itself, with the option's name in the message. */
final class OptionChecks {
    private OptionChecks() {
    }

    /** {@code value}, when it is at least 1. */
    static int atLeastOne(String option, int value) {
        if (value < 1) {
            throw new MobileNetException(option + " must be at least 1, got " + value);
        }
        return value;
    }
}
