package io.github.flinkredis.connector.config;

import io.lettuce.core.SslOptions;
import io.lettuce.core.SslVerifyMode;
import java.io.File;
import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;
import javax.annotation.Nullable;
import org.apache.flink.annotation.PublicEvolving;

/**
 * TLS settings of a {@code rediss://} connection: what to trust (a trust store, or a PEM CA file;
 * default the JVM's trust store), an optional client certificate for mutual TLS (a key store, or
 * PEM certificate and key files), and how much of the server's certificate to verify.
 *
 * <p>Files are read on the machine that opens the connection (each TaskManager), so they must be
 * there. Passwords never appear in {@link #toString()}.
 */
@PublicEvolving
public final class RedisTlsOptions implements Serializable {

    private static final long serialVersionUID = 1L;

    /** How much of the server's certificate a client verifies. */
    public enum Verify {
        /** The chain up to a trusted CA and the host name (default). */
        FULL,
        /** The chain up to a trusted CA only. */
        CA,
        /** Nothing: encryption without authentication of the server. */
        NONE;

        /** The option value: {@code full}, {@code ca} or {@code none}. */
        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Verify verify;
    @Nullable private final String trustStore;
    @Nullable private final String trustStorePassword;
    @Nullable private final String caFile;
    @Nullable private final String keyStore;
    @Nullable private final String keyStorePassword;
    @Nullable private final String certFile;
    @Nullable private final String keyFile;
    @Nullable private final String keyPassword;

    public RedisTlsOptions(
            Verify verify,
            @Nullable String trustStore,
            @Nullable String trustStorePassword,
            @Nullable String caFile,
            @Nullable String keyStore,
            @Nullable String keyStorePassword,
            @Nullable String certFile,
            @Nullable String keyFile,
            @Nullable String keyPassword) {
        this.verify = Objects.requireNonNull(verify);
        this.trustStore = trustStore;
        this.trustStorePassword = trustStorePassword;
        this.caFile = caFile;
        this.keyStore = keyStore;
        this.keyStorePassword = keyStorePassword;
        this.certFile = certFile;
        this.keyFile = keyFile;
        this.keyPassword = keyPassword;
        if (trustStore != null && caFile != null) {
            throw new IllegalArgumentException(
                    "Set either 'tls.truststore' or 'tls.ca-file', not both.");
        }
        if (keyStore != null && (certFile != null || keyFile != null)) {
            throw new IllegalArgumentException(
                    "Set either 'tls.keystore' or 'tls.cert-file' with 'tls.key-file', not both.");
        }
        if ((certFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException(
                    "'tls.cert-file' and 'tls.key-file' go together: set both or neither.");
        }
    }

    /** Default TLS: the JVM's trust store, full verification, no client certificate. */
    public static RedisTlsOptions defaults() {
        return new RedisTlsOptions(Verify.FULL, null, null, null, null, null, null, null, null);
    }

    public Verify verify() {
        return verify;
    }

    /** Lettuce's verify mode for this setting. */
    public SslVerifyMode verifyMode() {
        switch (verify) {
            case CA:
                return SslVerifyMode.CA;
            case NONE:
                return SslVerifyMode.NONE;
            default:
                return SslVerifyMode.FULL;
        }
    }

    /** Lettuce's SSL options: JDK provider, trust material and client certificate. */
    public SslOptions toSslOptions() {
        SslOptions.Builder b = SslOptions.builder().jdkSslProvider();
        if (trustStore != null) {
            b.truststore(new File(trustStore), trustStorePassword);
        } else if (caFile != null) {
            b.trustManager(new File(caFile));
        }
        if (keyStore != null) {
            b.keystore(
                    new File(keyStore),
                    keyStorePassword == null ? null : keyStorePassword.toCharArray());
        } else if (certFile != null) {
            b.keyManager(
                    new File(certFile),
                    new File(keyFile),
                    keyPassword == null ? null : keyPassword.toCharArray());
        }
        return b.build();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RedisTlsOptions)) {
            return false;
        }
        RedisTlsOptions t = (RedisTlsOptions) o;
        return verify == t.verify
                && Objects.equals(trustStore, t.trustStore)
                && Objects.equals(trustStorePassword, t.trustStorePassword)
                && Objects.equals(caFile, t.caFile)
                && Objects.equals(keyStore, t.keyStore)
                && Objects.equals(keyStorePassword, t.keyStorePassword)
                && Objects.equals(certFile, t.certFile)
                && Objects.equals(keyFile, t.keyFile)
                && Objects.equals(keyPassword, t.keyPassword);
    }

    @Override
    public int hashCode() {
        return Objects.hash(verify, trustStore, caFile, keyStore, certFile, keyFile);
    }

    @Override
    public String toString() {
        return "tls(verify="
                + verify
                + (trustStore != null ? ", truststore=" + trustStore : "")
                + (caFile != null ? ", ca-file=" + caFile : "")
                + (keyStore != null ? ", keystore=" + keyStore : "")
                + (certFile != null ? ", cert-file=" + certFile : "")
                + ")";
    }
}
