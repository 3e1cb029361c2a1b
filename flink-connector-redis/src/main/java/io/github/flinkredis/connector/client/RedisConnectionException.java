package io.github.flinkredis.connector.client;

import org.apache.flink.annotation.PublicEvolving;

/**
 * Opening a connection to Redis failed: the server is unreachable, the credentials are wrong, the
 * TLS handshake failed or the database does not exist. The message says which, names the options to
 * check and never contains a password.
 */
@PublicEvolving
public class RedisConnectionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * The message must carry the failure's details: the Lettuce exception is not chained (it is
     * logged where it happens), because Flink's SQL client shows only the last "Caused by" of an
     * error, which would then be Lettuce's message instead of this one.
     */
    public RedisConnectionException(String message) {
        super(message);
    }
}
