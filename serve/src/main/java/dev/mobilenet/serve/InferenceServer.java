package dev.mobilenet.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mobilenet.MobileNetException;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.GracefulHandler;

/**
 * The HTTP inference server: TorchServe's {@code /predictions/{model}}, {@code /embeddings/{model}}, the Open
 * Inference Protocol v2 ({@code /v2/...}), health, {@code /models}, Prometheus {@code /metrics} and a web page at
 * {@code /}. Requests for one model are batched dynamically ({@link Batcher}); images decode on a shared pool.
 *
 * <pre>{@code
 * try (InferenceServer s = InferenceServer.start(ServeConfig.defaults().withPort(0), List.of(model))) {
 *     System.out.println("listening on " + s.port());
 *     s.awaitStop();
 * }
 * }</pre>
 */
public final class InferenceServer implements AutoCloseable {
    /** Paths answered without an API key: health, and the page's static files (a browser cannot send one). */
    private static final Set<String> OPEN_PATHS = Set.of("/ping", "/v2/health/live", "/v2/health/ready", "/",
            "/app.js", "/style.css");
    private static final String JSON = "application/json";
    private static final long STOP_TIMEOUT_MS = 30_000;
    private final long stopTimeoutMs;
    private volatile Server jetty;

    private final ServeConfig config;
    private final Map<String, ModelEndpoint> models = new LinkedHashMap<>();
    private final ServerMetrics metrics = new ServerMetrics();
    private final ObjectMapper om = new ObjectMapper();
    private final ExecutorService decodePool;
    private final Javalin app;
    private final byte[] expectedAuth;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean stopping;

    private InferenceServer(ServeConfig config, List<ServedModel> served, long stopTimeoutMs) {
        this.stopTimeoutMs = stopTimeoutMs;
        this.config = config;
        this.expectedAuth = config.apiKey().map(k -> ("Bearer " + k).getBytes(StandardCharsets.UTF_8)).orElse(null);
        AtomicInteger n = new AtomicInteger();
        this.decodePool = Executors.newFixedThreadPool(config.threads(), r -> {
            Thread t = new Thread(r, "mobilenet-serve-decode-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        for (ServedModel m : served) {
            if (models.containsKey(m.name())) {
                throw new MobileNetException("model name '" + m.name() + "' is given twice");
            }
            models.put(m.name(), new ModelEndpoint(m, config, metrics, decodePool, om));
        }
        this.app = Javalin.create(this::configure);
    }

    /** Loads nothing: starts serving {@code models} (at least one) and returns once the port is bound. */
    public static InferenceServer start(ServeConfig config, List<ServedModel> models) {
        return start(config, models, STOP_TIMEOUT_MS);
    }

    /** {@link #start(ServeConfig, List)} with another wait for the requests in flight when stopping (tests). */
    static InferenceServer start(ServeConfig config, List<ServedModel> models, long stopTimeoutMs) {
        if (models.isEmpty()) {
            throw new MobileNetException("give at least one model to serve");
        }
        InferenceServer s = new InferenceServer(config, models, stopTimeoutMs);
        try {
            s.app.start(config.host(), config.port());
        } catch (RuntimeException e) {
            s.closeModels();
            throw new MobileNetException("cannot listen on " + config.host() + ":" + config.port() + ": "
                    + rootMessage(e));
        }
        return s;
    }

    private static String rootMessage(Throwable e) {
        Throwable c = e;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getMessage() != null ? c.getMessage() : c.toString();
    }

    /** The port bound (the one picked when the config said 0). */
    public int port() {
        return app.port();
    }

    /** Requests admitted for {@code model} and not yet answered. */
    public int queued(String model) {
        ModelEndpoint m = models.get(model);
        return m == null ? 0 : m.batcher.admitted();
    }

    private void configure(JavalinConfig c) {
        c.startup.showJavalinBanner = false;
        c.startup.showOldJavalinVersionWarning = false;
        c.http.maxRequestSize = config.maxBodyBytes();
        c.jetty.multipartConfig.maxFileSize(config.maxBodyBytes(), SizeUnit.BYTES);
        c.jetty.multipartConfig.maxTotalRequestSize(config.maxBodyBytes(), SizeUnit.BYTES);
        c.jetty.multipartConfig.maxInMemoryFileSize((int) Math.min(config.maxBodyBytes(), Integer.MAX_VALUE - 8),
                SizeUnit.BYTES);
        c.jetty.modifyServer(server -> {
            // Stop: connectors stop accepting, then the graceful handler waits for the requests in flight.
            server.setHandler(new GracefulHandler());
            server.setStopTimeout(stopTimeoutMs);
            jetty = server;
            server.setStopAtShutdown(false);
            server.setErrorHandler(new JsonErrorHandler());
        });
        c.requestLogger.http((ctx, ms) -> {
            Long t0 = ctx.attribute("t0");
            String route = ctx.attribute("route");
            String model = ctx.attribute("model");
            metrics.request(model == null ? "" : model, route == null ? "unmatched" : route, ctx.statusCode(),
                    t0 == null ? 0 : System.nanoTime() - t0);
        });
        c.routes.before(ctx -> {
            ctx.attribute("t0", System.nanoTime());
            if (expectedAuth != null && !OPEN_PATHS.contains(ctx.path())) {
                String got = ctx.header("Authorization");
                byte[] g = got == null ? new byte[0] : got.getBytes(StandardCharsets.UTF_8);
                if (!MessageDigest.isEqual(g, expectedAuth)) {
                    ctx.header("WWW-Authenticate", "Bearer");
                    throw new HttpError(401, "missing or wrong API key (Authorization: Bearer <key>)");
                }
            }
        });
        c.routes.exception(HttpError.class, (e, ctx) -> {
            if (e.status() == 413) {
                // The rest of the body is not read: the connection closes, and the client must know not to reuse it.
                ctx.header("Connection", "close");
            }
            error(ctx, e.status(), e.getMessage());
        });
        c.routes.exception(MobileNetException.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
        c.routes.exception(Exception.class, (e, ctx) -> error(ctx, 500, "internal error: " + rootMessage(e)));
        c.routes.error(404, ctx -> {
            if (ctx.attribute("route") == null) {
                error(ctx, 404, "no such endpoint: " + ctx.method() + " " + ctx.path());
            }
        });
        c.routes.error(405, ctx -> error(ctx, 405, "method not allowed: " + ctx.method() + " " + ctx.path()));

        c.routes.get("/", ctx -> resource(ctx, "index.html", "text/html; charset=utf-8"));
        c.routes.get("/app.js", ctx -> resource(ctx, "app.js", "text/javascript; charset=utf-8"));
        c.routes.get("/style.css", ctx -> resource(ctx, "style.css", "text/css; charset=utf-8"));
        c.routes.get("/ping", ctx -> {
            route(ctx, "/ping", null);
            json(ctx, 200, om.createObjectNode().put("status", stopping ? "Unhealthy" : "Healthy"));
        });
        c.routes.get("/v2/health/live", ctx -> {
            route(ctx, "/v2/health/live", null);
            json(ctx, 200, om.createObjectNode().put("live", true));
        });
        c.routes.get("/v2/health/ready", ctx -> {
            route(ctx, "/v2/health/ready", null);
            json(ctx, stopping ? 503 : 200, om.createObjectNode().put("ready", !stopping));
        });
        c.routes.get("/models", ctx -> {
            route(ctx, "/models", null);
            var body = om.createObjectNode();
            var arr = body.putArray("models");
            models.values().forEach(m -> arr.add(m.describe()));
            json(ctx, 200, body);
        });
        c.routes.get("/metrics", ctx -> {
            route(ctx, "/metrics", null);
            ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
        });
        c.routes.get("/v2/models/{model}", ctx -> json(ctx, 200, model(ctx, "/v2/models/{model}").v2Metadata()));
        c.routes.post("/predictions/{model}", ctx -> {
            ModelEndpoint m = model(ctx, "/predictions/{model}");
            int top = topParam(ctx);
            boolean crop = "true".equals(ctx.queryParam("crop")) || "1".equals(ctx.queryParam("crop"));
            ClientProbe probe = new ClientProbe(ctx.req());
            answer(ctx, m, probe, () -> m.predict(imageBytes(ctx), top, crop, probe));
        });
        c.routes.post("/embeddings/{model}", ctx -> {
            ModelEndpoint m = model(ctx, "/embeddings/{model}");
            ClientProbe probe = new ClientProbe(ctx.req());
            answer(ctx, m, probe, () -> m.embed(imageBytes(ctx), probe));
        });
        c.routes.post("/v2/models/{model}/infer", ctx -> {
            ModelEndpoint m = model(ctx, "/v2/models/{model}/infer");
            ClientProbe probe = new ClientProbe(ctx.req());
            answer(ctx, m, probe, () -> m.infer(readBody(ctx), probe));
        });
    }

    /** Admits the request to the model's queue (503 when full) and answers when its future completes. */
    private void answer(Context ctx, ModelEndpoint m, ClientProbe probe,
                        java.util.function.Supplier<CompletableFuture<String>> work) {
        if (stopping) {
            throw new HttpError(503, "the server is stopping");
        }
        if (!m.batcher.admit()) {
            ctx.header("Retry-After", "1");
            throw new HttpError(503, "the queue of " + m.model.name() + " is full (" + config.maxQueue()
                    + " requests); retry later");
        }
        CompletableFuture<String> f;
        try {
            f = work.get();
        } catch (RuntimeException e) {
            m.batcher.leave();
            throw e;
        }
        ctx.future(() -> f.handle((body, e) -> {
            m.batcher.leave();
            if (probe.tookBytes()) {
                ctx.header("Connection", "close");
            }
            if (e == null) {
                Long t0 = ctx.attribute("t0");
                if (t0 != null) {
                    ctx.header("Server-Timing", String.format(java.util.Locale.ROOT, "total;dur=%.2f",
                            (System.nanoTime() - t0) / 1e6));
                }
                ctx.status(200).contentType(JSON).result(body);
            } else {
                Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                if (c instanceof HttpError h) {
                    error(ctx, h.status(), h.getMessage());
                } else if (c instanceof MobileNetException) {
                    error(ctx, 400, c.getMessage());
                } else if (c instanceof Batcher.ClientGone) {
                    error(ctx, 499, c.getMessage());
                } else {
                    error(ctx, 500, "internal error: " + rootMessage(c));
                }
            }
            return null;
        }));
    }

    private ModelEndpoint model(Context ctx, String route) {
        String name = ctx.pathParam("model");
        ModelEndpoint m = models.get(name);
        route(ctx, route, m == null ? null : name);
        if (m == null) {
            throw new HttpError(404, "no model named '" + name + "'; loaded: " + String.join(", ", models.keySet()));
        }
        return m;
    }

    private static void route(Context ctx, String route, String model) {
        ctx.attribute("route", route);
        if (model != null) {
            ctx.attribute("model", model);
        }
    }

    private static int topParam(Context ctx) {
        String t = ctx.queryParam("top");
        if (t == null) {
            return 5;
        }
        if (t.matches("[0-9]{1,9}") && Integer.parseInt(t) >= 1) {
            return Integer.parseInt(t);
        }
        throw new HttpError(400, "top must be a whole number of at least 1, got '" + t + "'");
    }

    /** The image: the whole body, or the multipart field {@code data}. */
    private byte[] imageBytes(Context ctx) {
        String type = ctx.contentType();
        if (type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data")) {
            checkLength(ctx);
            io.javalin.http.UploadedFile file;
            try {
                file = ctx.uploadedFile("data");
            } catch (Exception e) {
                // Jetty's multipart parser enforces the same limit on a body without Content-Length.
                for (Throwable c = e; c != null; c = c.getCause()) {
                    if (c instanceof IllegalStateException && String.valueOf(c.getMessage()).startsWith("max length")) {
                        drainRequest(ctx);
                        throw new HttpError(413, "the body is larger than the limit of " + config.maxBodyBytes()
                                + " bytes");
                    }
                }
                throw new HttpError(400, "bad multipart form: " + rootMessage(e));
            }
            if (file == null) {
                throw new HttpError(400, "the multipart form has no field 'data'");
            }
            try (InputStream in = file.content()) {
                return readCapped(in);
            } catch (IOException e) {
                throw new HttpError(400, "cannot read the upload: " + e.getMessage());
            }
        }
        return readBody(ctx);
    }

    private void checkLength(Context ctx) {
        long len = ctx.req().getContentLengthLong();
        if (len > config.maxBodyBytes()) {
            throw new HttpError(413, "the body has " + len + " bytes; the limit is " + config.maxBodyBytes());
        }
    }

    /** The body, refused with 413 from its Content-Length, or as soon as it grows past the limit. */
    private byte[] readBody(Context ctx) {
        checkLength(ctx);
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] b = readCapped(in);
            if (b.length == 0) {
                throw new HttpError(400, "the body is empty");
            }
            return b;
        } catch (IOException e) {
            throw new HttpError(400, "cannot read the body: " + e.getMessage());
        }
    }

    private byte[] readCapped(InputStream in) throws IOException {
        byte[] b = in.readNBytes((int) Math.min(config.maxBodyBytes() + 1, Integer.MAX_VALUE - 8));
        if (b.length > config.maxBodyBytes()) {
            drain(in);
            throw new HttpError(413, "the body is larger than the limit of " + config.maxBodyBytes() + " bytes");
        }
        return b;
    }

    /**
     * Reads and discards what is left of a refused streamed body, up to {@link #drainLimit()} bytes. A connection
     * closed with unread bytes in its receive buffer is reset, and a reset can reach the client before it has read
     * the 413; consumed, the body ends cleanly and the client always sees the answer. A longer body is left unread
     * (the connection closes; a client sending that much past the limit may see the reset instead).
     */
    private void drain(InputStream in) throws IOException {
        long left = drainLimit();
        byte[] sink = new byte[8192];
        int n;
        while (left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0) {
            left -= n;
        }
    }

    private void drainRequest(Context ctx) {
        try {
            drain(ctx.req().getInputStream());
        } catch (IOException | IllegalStateException e) {
            // The multipart parser may have closed or failed the stream: the connection closes instead (see drain).
            ctx.attribute("drain-failed", e.getMessage());
        }
    }

    private long drainLimit() {
        return Math.min(4 * config.maxBodyBytes(), 64L << 20);
    }

    private void resource(Context ctx, String name, String type) throws IOException {
        route(ctx, "/" + (name.equals("index.html") ? "" : name), null);
        try (InputStream in = InferenceServer.class.getResourceAsStream("web/" + name)) {
            if (in == null) {
                throw new HttpError(500, "the page's " + name + " is missing from the jar");
            }
            ctx.contentType(type).result(in.readAllBytes());
        }
    }

    private void json(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType(JSON).result(om.writeValueAsString(body));
        } catch (IOException e) {
            throw new HttpError(500, "cannot write JSON: " + e.getMessage());
        }
    }

    private void error(Context ctx, int status, String message) {
        json(ctx, status, om.createObjectNode().put("error", message == null ? "error" : message));
    }

    /**
     * Stops gracefully: no new connections, the requests in flight are answered (up to 30 s), then the batchers,
     * engines and decoding threads end. Idempotent.
     */
    public synchronized void stop() {
        if (stopped.getCount() == 0) {
            return;
        }
        stopping = true;
        try {
            app.stop();
        } catch (RuntimeException e) {
            // Jetty has closed the listening socket and every connection by now; the wait for the requests in
            // flight is what ran out.
            int pending = models.values().stream().mapToInt(m -> m.batcher.admitted()).sum();
            throw new MobileNetException("stopped after waiting " + stopTimeoutMs + " ms for the requests in flight; "
                    + pending + " were not answered and their connections were closed (" + rootMessage(e) + ")", e);
        } finally {
            closeModels();
            stopped.countDown();
        }
    }

    private void closeModels() {
        List<RuntimeException> errors = new ArrayList<>();
        for (ModelEndpoint m : models.values()) {
            try {
                m.batcher.close();
            } catch (RuntimeException e) {
                errors.add(e);
            }
        }
        decodePool.shutdownNow();
        if (!errors.isEmpty()) {
            throw errors.get(0);
        }
    }

    /** Blocks until {@link #stop()} has finished. */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /** Waits at most {@code timeout} for the stop; true when stopped. */
    public boolean awaitStop(long timeout, TimeUnit unit) throws InterruptedException {
        return stopped.await(timeout, unit);
    }

    @Override
    public void close() {
        stop();
    }
}
