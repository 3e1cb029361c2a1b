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

    public RedisConnectionException(String message, Throwable cause) {
        super(message, cause);
    }
}
