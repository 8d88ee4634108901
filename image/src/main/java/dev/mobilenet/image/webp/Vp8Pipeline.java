package dev.mobilenet.image.webp;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Decodes a VP8 frame to RGB row by row: macroblock rows are parsed and reconstructed, loop-filtered one row
 * behind, and the output rows whose pixels no later filtering changes are converted to RGB in chunks, while their
 * planes are still in cache. Large pictures use a second thread as libwebp does: the caller's thread parses the
 * tokens, up to {@link #SLOTS} rows ahead, and a helper reconstructs and filters; both convert finished chunks when
 * they would otherwise wait. The rows' prediction modes are a stream of their own (the first partition), parsed
 * ahead by the helper while it waits for tokens, or by the caller when they are not there yet: at high bit rates the
 * token parse is the critical path, and the modes are a tenth of the parse. The planes are a ring of
 * {@link Vp8Decoder#RING} macroblock rows, so a row is reconstructed only once the output units reading the row its
 * slot held are converted. Every pixel is computed by the same code in the same order of dependencies, so the
 * result is bit-identical either way.
 *
 * <p>Helpers come from one shared pool of daemon threads, and at most {@code availableProcessors - 1} decodes use
 * a helper at once (none on one core): when many pictures are decoded concurrently, the others run on their
 * caller's thread alone. A decode that fails stops its helper and waits for it before throwing.
 */
final class Vp8Pipeline {
    /** How many threads a decode may use. */
    enum Threads {
        /** The caller's thread alone. */
        ONE,
        /** A helper thread too when the picture has at least {@link #PARALLEL_MIN_PIXELS} pixels and one is free. */
        AUTO,
        /** A helper thread whenever one is free, whatever the size (for tests). */
        TWO
    }

    /** Pictures of fewer pixels are decoded on the caller's thread alone. */
    static final long PARALLEL_MIN_PIXELS = 1L << 19;
    /** How many parsed macroblock rows the caller may hold ahead of the helper's reconstruction. */
    static final int SLOTS = 4;
    /** How many rows the caller must have parsed ahead of the reconstruction before it filters or converts. */
    static final int AHEAD = 2;
    /** Output units (pairs of rows) converted at a time. */
    private static final int CHUNK = 8;
    static final Semaphore HELPERS =
            new Semaphore(Math.max(0, Runtime.getRuntime().availableProcessors() - 1));
    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "webp-filter");
        t.setDaemon(true);
        return t;
    });

    private final Vp8Decoder f;
    private final int width;
    private final int height;
    private final int dstLength;
    /** The RGB output, allocated by whichever thread would otherwise wait first (zeroing 36 MB for 4000x3000: 3 ms). */
    private volatile byte[] dst;
    private final AtomicBoolean dstClaimed = new AtomicBoolean();
    private final int off;
    private final int stride;
    private final int units;
    private final AtomicInteger nextUnit = new AtomicInteger();
    /** The next macroblock row whose modes to parse, claimed before {@link #modeRows} counts it done. */
    private final AtomicInteger nextModes = new AtomicInteger();
    /** The next macroblock row to filter, claimed before {@link #filterRows} counts it done. */
    private final AtomicInteger nextFilter = new AtomicInteger();
    /** The first unit of the chunk the caller, or the helper, is converting; {@code MAX_VALUE} when none. */
    private volatile int callerChunk = Integer.MAX_VALUE;
    private volatile int helperChunk = Integer.MAX_VALUE;
    private volatile int modeRows;
    /** Why row {@link #modeRows}'s modes could not be parsed, thrown when the caller reaches that row. */
    private volatile WebpException modeFailure;
    private volatile int parsedRows;
    private volatile int reconRows;
    private volatile int filterRows;
    private volatile boolean abort;
    private volatile Thread helperThread;
    private volatile Thread mainThread;

    private Vp8Pipeline(Vp8Decoder f, int width, int height, int dstLength, int off, int stride) {
        this.f = f;
        this.width = width;
        this.height = height;
        this.dstLength = dstLength;
        this.off = off;
        this.stride = stride;
        this.units = YuvToRgb.units(height);
    }

    /**
     * Decodes {@code f} on the threads {@code threads} allows and returns a new zeroed array of {@code dstLength}
     * bytes holding its {@code width x height} picture as RGB (pixel (0, 0) at {@code off}, {@code stride} bytes
     * per row).
     */
    static byte[] decode(Vp8Decoder f, int width, int height, int dstLength, int off, int stride, Threads threads) {
        Vp8Pipeline p = new Vp8Pipeline(f, width, height, dstLength, off, stride);
        boolean want = threads == Threads.TWO
                || threads == Threads.AUTO && (long) width * height >= PARALLEL_MIN_PIXELS;
        if (want && f.mbH > 1 && HELPERS.tryAcquire()) {
            try {
                f.rowSlots(SLOTS);
                p.runParallel();
            } finally {
                HELPERS.release();
            }
        } else {
            p.runSequential();
        }
        return p.dst;
    }

    /** Output units whose pixels are final once {@code filtered} macroblock rows have been filtered. */
    private int readyUnits(int filtered) {
        if (filtered >= f.mbH) {
            return units;
        }
        // filtering row r changes up to three luma rows (16r - 3) and three chroma rows (8r - 3) above it
        return Math.max(0, Math.min(units, 8 * filtered - 3));
    }

    /** How many units, from unit 0, must be converted before row {@code mbY} is reconstructed into its slot. */
    private int unitsBefore(int mbY) {
        return mbY < f.ringRows ? 0 : Math.min(units, YuvToRgb.unitsReading(mbY - f.ringRows));
    }

    private void runSequential() {
        dst = new byte[dstLength];
        int done = 0;
        for (int r = 0; r < f.mbH; r++) {
            if (done < unitsBefore(r)) {
                // the units ready once r rows are filtered reach past those reading row r - ringRows (ringRows > 1)
                int ready = readyUnits(r);
                YuvToRgb.convertUnits(f, width, height, dst, off, stride, done, ready);
                done = ready;
            }
            f.decodeRow(r);
            f.filterRow(r);
            int ready = readyUnits(r + 1);
            if (ready - done >= CHUNK || r == f.mbH - 1) {
                YuvToRgb.convertUnits(f, width, height, dst, off, stride, done, ready);
                done = ready;
            }
        }
    }

    /**
     * Claims and filters the next macroblock row once it is reconstructed and the row above is filtered; false when
     * none is ready or another thread is filtering.
     */
    private boolean filterNext() {
        int r = nextFilter.get();
        if (r != filterRows || r >= reconRows || !nextFilter.compareAndSet(r, r + 1)) {
            return false;
        }
        f.filterRow(r);
        filterRows = r + 1;
        wake(Thread.currentThread() == mainThread ? helperThread : mainThread);
        return true;
    }

    /**
     * Claims and parses the modes of the next macroblock row once the row above's are parsed and its slot's old row
     * is reconstructed; false when none is ready or another thread is parsing. A failure is kept for the caller,
     * which throws it once the rows before it are parsed, where libwebp reports it.
     */
    private boolean parseModesNext() {
        int m = nextModes.get();
        if (m != modeRows || m >= f.mbH || m >= reconRows + SLOTS || modeFailure != null
                || !nextModes.compareAndSet(m, m + 1)) {
            return false;
        }
        try {
            f.parseModes(m);
            modeRows = m + 1;
        } catch (WebpException e) {
            modeFailure = e;
        }
        if (Thread.currentThread() != mainThread) {
            wake(mainThread);
        }
        return true;
    }

    /** Filters, allocates the output or converts what is ready, in that order; false when nothing is. */
    private boolean shareWork() {
        return filterNext() || allocateOutput() || convertChunk();
    }

    /** Allocates the output unless it is, or is being, allocated; false then. */
    private boolean allocateOutput() {
        if (dst != null || !dstClaimed.compareAndSet(false, true)) {
            return false;
        }
        dst = new byte[dstLength];
        return true;
    }

    /** Claims and converts one chunk of ready units; false when none is ready. */
    private boolean convertChunk() {
        byte[] out = dst;
        if (out == null) {
            return false;
        }
        int ready = readyUnits(filterRows);
        boolean caller = Thread.currentThread() == mainThread;
        try {
            while (true) {
                int k = nextUnit.get();
                if (k >= ready) {
                    return false;
                }
                int end = Math.min(k + CHUNK, ready);
                // announced before the claim, so that converted() never counts a claimed chunk as done
                if (caller) {
                    callerChunk = k;
                } else {
                    helperChunk = k;
                }
                if (nextUnit.compareAndSet(k, end)) {
                    YuvToRgb.convertUnits(f, width, height, out, off, stride, k, end);
                    return true;
                }
            }
        } finally {
            if (caller) {
                callerChunk = Integer.MAX_VALUE;
            } else {
                helperChunk = Integer.MAX_VALUE;
            }
        }
    }

    /** How many units, from unit 0, are converted: those claimed, up to the first chunk still being converted. */
    private int converted() {
        int claimed = nextUnit.get();
        return Math.min(claimed, Math.min(callerChunk, helperChunk));
    }

    private void runParallel() {
        mainThread = Thread.currentThread();
        Future<?> helper = POOL.submit(this::helper);
        boolean ok = false;
        try {
            for (int r = 0; r < f.mbH; r++) {
                // row r goes into the slot of row r - SLOTS, which the helper must have reconstructed
                while (reconRows <= r - SLOTS) {
                    if (helper.isDone()) {
                        join(helper, true);
                        throw new IllegalStateException("the WebP helper thread stopped early");
                    }
                    if (!shareWork()) {
                        LockSupport.parkNanos(this, 1_000_000L);
                    }
                }
                // the helper parses rows' modes ahead when it would otherwise wait; the caller parses them itself
                while (modeRows <= r) {
                    WebpException failure = modeFailure;
                    if (failure != null) {
                        throw failure;
                    }
                    if (!parseModesNext() && !shareWork()) {
                        LockSupport.parkNanos(this, 100_000L);
                    }
                }
                f.parseTokens(r);
                parsedRows = r + 1;
                wake(helperThread);
                // the helper reconstructs; the caller shares the rest only while it is ahead of the helper
                while (parsedRows - reconRows >= AHEAD && shareWork()) {
                    wake(helperThread);
                }
            }
            while (converted() < units) {
                if (!shareWork()) {
                    if (helper.isDone()) {
                        break;
                    }
                    LockSupport.parkNanos(this, 1_000_000L);
                }
            }
            ok = true;
        } finally {
            if (!ok) {
                abort = true;
                wake(helperThread);
            }
            join(helper, ok);
        }
    }

    private static void wake(Thread t) {
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    private void helper() {
        helperThread = Thread.currentThread();
        try {
            for (int r = 0; r < f.mbH; r++) {
                while (parsedRows <= r) {
                    if (abort) {
                        return;
                    }
                    if (!parseModesNext() && !shareWork()) {
                        LockSupport.park(this);
                    }
                }
                // the row's slot holds row r - ringRows until every unit reading that row is converted
                int before = unitsBefore(r);
                while (converted() < before) {
                    if (abort) {
                        return;
                    }
                    if (!shareWork()) {
                        LockSupport.parkNanos(this, 100_000L);
                    }
                }
                f.reconstructRow(r);
                reconRows = r + 1;
                wake(mainThread);
            }
            while (!abort && converted() < units) {
                if (shareWork()) {
                    wake(mainThread);
                } else if (nextUnit.get() >= units) {
                    break;
                } else {
                    // the caller is filtering the row the next chunk waits for
                    LockSupport.parkNanos(this, 100_000L);
                }
            }
        } finally {
            helperThread = null;
            wake(mainThread);
        }
    }

    /** Waits for the helper; rethrows its failure when the decode itself succeeded. */
    private static void join(Future<?> helper, boolean rethrow) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    helper.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (rethrow) {
                        Throwable c = e.getCause();
                        if (c instanceof RuntimeException re) {
                            throw re;
                        }
                        if (c instanceof Error err) {
                            throw err;
                        }
                        throw new IllegalStateException(c);
                    }
                    break;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
