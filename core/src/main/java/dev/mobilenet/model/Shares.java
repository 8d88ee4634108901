package dev.mobilenet.model;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Work split into one share per thread, each share cut into a few pieces taken in order. A thread runs its own
 * share first, then takes the pieces that slower threads have not started: on a shared machine any thread may be
 * paused for a while, and a static split would make every layer wait for it. Which thread computes a piece never
 * changes what is computed, so results stay bit-identical.
 */
final class Shares {
    /** Pieces per share: enough for a late thread's work to be taken over, few enough to keep locality. */
    static final int PIECES = 4;
    /** Counters 16 ints (64 bytes) apart, so that two threads' counters never share a cache line. */
    private static final int PAD = 16;

    private final AtomicIntegerArray next;
    private final int parts;

    Shares(int parts) {
        this.parts = parts;
        this.next = new AtomicIntegerArray(parts * PAD);
    }

    /** Before each parallel task, on the calling thread: every piece not started. */
    void reset() {
        for (int p = 0; p < parts; p++) {
            next.set(p * PAD, 0);
        }
    }

    /** The next piece of share {@code share} not yet taken, or -1 when all are. */
    int take(int share) {
        int piece = next.getAndIncrement(share * PAD);
        return piece < PIECES ? piece : -1;
    }
}
