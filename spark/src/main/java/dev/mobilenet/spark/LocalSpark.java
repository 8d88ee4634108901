package dev.mobilenet.spark;

import org.apache.spark.sql.SparkSession;

/** A SparkSession builder that keeps local mode on this machine: driver on loopback, no web UI. */
public final class LocalSpark {
    private LocalSpark() {
    }

    /**
     * A builder for {@code master}; for {@code local[...]} masters the driver binds to 127.0.0.1 and the UI is off,
     * so nothing listens beyond loopback.
     */
    public static SparkSession.Builder builder(String master, String appName) {
        SparkSession.Builder b = SparkSession.builder().appName(appName);
        if (master != null) {
            b.master(master);
        }
        if (master != null && master.startsWith("local")) {
            b.config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.ui.enabled", "false");
        }
        return b;
    }
}
