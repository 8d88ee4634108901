package dev.mobilenet.hub;

import dev.mobilenet.Printable;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.FileSystemException;
import java.util.Locale;
import javax.net.ssl.SSLException;

/** Small helpers to classify and describe I/O failures. */
final class Downloads {
    private Downloads() {
    }

    /** ENOSPC or EDQUOT, as the JDK words them on Linux and macOS. */
    static boolean isDiskFull(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t instanceof FileSystemException f && f.getReason() != null ? f.getReason() : t.getMessage();
            if (m != null) {
                String l = m.toLowerCase(Locale.ROOT);
                if (l.contains("no space left on device") || l.contains("disk quota exceeded")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Why a connection failed, in a few words: "cannot resolve host x", "connection refused", "timed out". */
    static String describeNetwork(Throwable e, String host) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return "cannot resolve host " + host;
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HttpConnectTimeoutException) {
                return "connection timed out";
            }
            if (t instanceof HttpTimeoutException) {
                return "no response in time";
            }
            if (t instanceof SSLException) {
                return "TLS error: " + Printable.oneLine(t.getMessage());
            }
            if (t instanceof ConnectException) {
                return t.getMessage() == null || t.getMessage().isBlank() ? "connection refused"
                        : Printable.oneLine(t.getMessage());
            }
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : Printable.oneLine(m);
    }

    private static final java.util.regex.Pattern USERINFO =
            java.util.regex.Pattern.compile("(?i)(\\b[a-z][a-z0-9+.-]*://)[^/?#@\\s]*@");

    /** The text with the user-info part of every URL ({@code http://user:secret@host}) replaced by {@code ***@}. */
    static String redact(String s) {
        return s == null ? null : USERINFO.matcher(s).replaceAll("$1***@");
    }

    /** A size for messages: "21.1 MB" (decimal units, as huggingface_hub prints them). */
    static String size(long bytes) {
        if (bytes < 1000) {
            return bytes + " bytes";
        }
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}
