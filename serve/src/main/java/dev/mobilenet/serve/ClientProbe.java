package dev.mobilenet.serve;

import jakarta.servlet.ServletRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;

/**
 * Whether a request's client is still connected, asked by the batcher just before the engine call. Jetty does not
 * read from an HTTP/1.1 connection while its request is being handled, so a client that closed its socket is only
 * seen by reading: one non-blocking read of at most one byte on the connection. After a whole request the client is
 * waiting for the answer, so the read finds nothing (alive) or end of stream (gone). Only a pipelining client could
 * have sent more; that byte is lost to Jetty, so the answer then carries {@code Connection: close} and the client
 * resends its next request on a new connection, as HTTP/1.1 requires of pipelining clients.
 */
final class ClientProbe implements BooleanSupplier {
    private final EndPoint endPoint;
    private volatile boolean tookBytes;

    ClientProbe(ServletRequest request) {
        this.endPoint = ServletContextRequest.getServletContextRequest(request).getConnectionMetaData()
                .getConnection().getEndPoint();
    }

    @Override
    public boolean getAsBoolean() {
        if (!endPoint.isOpen() || endPoint.isInputShutdown()) {
            return false;
        }
        ByteBuffer one = BufferUtil.allocate(1);
        try {
            int n = endPoint.fill(one);
            if (n > 0) {
                tookBytes = true;
            }
            return n >= 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** True when the probe consumed bytes of a pipelined request: the connection must close after the answer. */
    boolean tookBytes() {
        return tookBytes;
    }
}
