package io.github.flinkredis.connector.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.flinkredis.connector.RedisITCaseBase;
import io.github.flinkredis.connector.client.RedisConnectionException;
import io.github.flinkredis.testutils.RedisServer;
import io.github.flinkredis.testutils.TestCertificates;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.types.Row;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS (server authentication and mutual TLS, with PEM files or key stores) and ACL users against
 * real servers started with certificates generated at test time: each success, and each failure
 * with its message.
 */
class RedisSecurityITCase extends RedisITCaseBase {

    @TempDir static Path certDir;

    private static TestCertificates certs;
    private static RedisServer tlsServer;
    private static RedisServer mutualTlsServer;
    private static RedisServer aclServer;

    @BeforeAll
    static void startServers() throws IOException {
        certs = TestCertificates.generate(certDir);
        tlsServer = RedisServer.startTls(certs, false);
        mutualTlsServer = RedisServer.startTls(certs, true);
        aclServer =
                RedisServer.startLocal(
                        List.of(
                                "--user",
                                "alice",
                                "on",
                                ">alice-pw",
                                "~user:*",
                                "+@all",
                                "--user",
                                "scanner",
                                "on",
                                ">scan-pw",
                                "~*",
                                "+scan",
                                "+ping",
                                "+hello",
                                "+client",
                                "+info"));
        for (RedisServer s : List.of(tlsServer, mutualTlsServer)) {
            s.command("HSET", "user:1", "name", "ann");
        }
        aclServer.command("AUTH", "alice", "alice-pw");
    }

    @AfterAll
    static void stopServers() {
        for (RedisServer s : new RedisServer[] {tlsServer, mutualTlsServer, aclServer}) {
            if (s != null) {
                s.close();
            }
        }
    }

    private List<Row> read(String url, String... options) throws Exception {
        StringBuilder with =
                new StringBuilder("'connector' = 'redis', 'url' = '").append(url).append("'");
        for (int i = 0; i < options.length; i += 2) {
            with.append(", '")
                    .append(options[i])
                    .append("' = '")
                    .append(options[i + 1])
                    .append("'");
        }
        String table = "t" + System.nanoTime();
        tEnv.executeSql(
                "CREATE TABLE "
                        + table
                        + " (id INT, name STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ("
                        + with
                        + ", 'key.prefix' = 'user:')");
        return query("SELECT id, name FROM " + table);
    }

    private static String connectionError(Throwable t) {
        Optional<RedisConnectionException> e =
                ExceptionUtils.findThrowable(t, RedisConnectionException.class);
        assertThat(e).as("a RedisConnectionException in %s", t).isPresent();
        return e.get().getMessage();
    }

    @Test
    void readsOverTlsTrustingAPemCaFile() throws Exception {
        assertThat(read(tlsServer.url(), "tls.ca-file", certs.file("ca.crt").toString()))
                .containsExactly(Row.of(1, "ann"));
    }

    @Test
    void readsOverTlsTrustingATrustStore() throws Exception {
        assertThat(
                        read(
                                tlsServer.url(),
                                "tls.truststore",
                                certs.file("truststore.p12").toString(),
                                "tls.truststore.password",
                                TestCertificates.STORE_PASSWORD))
                .containsExactly(Row.of(1, "ann"));
    }

    @Test
    void readsOverMutualTlsWithAKeyStoreOrPemFiles() throws Exception {
        assertThat(
                        read(
                                mutualTlsServer.url(),
                                "tls.ca-file",
                                certs.file("ca.crt").toString(),
                                "tls.keystore",
                                certs.file("client.p12").toString(),
                                "tls.keystore.password",
                                TestCertificates.STORE_PASSWORD))
                .containsExactly(Row.of(1, "ann"));
        assertThat(readWithPemKey("client.key")).containsExactly(Row.of(1, "ann"));
    }

    @Test
    void readsOverMutualTlsWithAnEncryptedPemKey() throws Exception {
        assertThat(
                        readWithPemKey(
                                "client-encrypted.key",
                                "tls.key.password",
                                TestCertificates.KEY_PASSWORD))
                .containsExactly(Row.of(1, "ann"));

        Throwable t =
                catchThrowable(
                        () ->
                                readWithPemKey(
                                        "client-encrypted.key",
                                        "tls.key.password",
                                        "not-the-password"));

        assertThat(ExceptionUtils.findThrowable(t, RedisConnectionException.class))
                .hasValueSatisfying(
                        e ->
                                assertThat(e.getMessage())
                                        .contains(
                                                "the client key could not be read",
                                                "'tls.key.password'"));
        assertThat(ExceptionUtils.stringifyException(t)).doesNotContain("not-the-password");
    }

    /** Reads over mutual TLS with the PEM client certificate and the key file {@code keyFile}. */
    private List<Row> readWithPemKey(String keyFile, String... moreOptions) throws Exception {
        List<String> options =
                new ArrayList<>(
                        List.of(
                                "tls.ca-file",
                                certs.file("ca.crt").toString(),
                                "tls.cert-file",
                                certs.file("client.crt").toString(),
                                "tls.key-file",
                                certs.file(keyFile).toString()));
        options.addAll(List.of(moreOptions));
        return read(mutualTlsServer.url(), options.toArray(new String[0]));
    }

    @Test
    void anUntrustedServerCertificateFailsWithATlsMessage() {
        Throwable t = catchThrowable(() -> read(tlsServer.url()));

        assertThat(connectionError(t))
                .startsWith("TLS connection to Redis at " + tlsServer.url() + "/0 failed");
    }

    @Test
    void verifyNoneAcceptsAnyServerCertificate() throws Exception {
        assertThat(read(tlsServer.url(), "tls.verify", "none")).containsExactly(Row.of(1, "ann"));
    }

    @Test
    void aMissingClientCertificateFailsAgainstMutualTls() {
        Throwable t =
                catchThrowable(
                        () ->
                                read(
                                        mutualTlsServer.url(),
                                        "tls.ca-file",
                                        certs.file("ca.crt").toString(),
                                        "connect.timeout",
                                        "5 s"));

        assertThat(connectionError(t)).contains(mutualTlsServer.url().substring(10));
    }

    @Test
    void tlsOptionsNeedARedissUrl() {
        Throwable t =
                catchThrowable(
                        () -> read(redis.url(), "tls.ca-file", certs.file("ca.crt").toString()));

        assertThat(ExceptionUtils.stringifyException(t))
                .contains("The 'tls.*' options apply to TLS connections only");
    }

    @Test
    void readsAsAnAclUser() throws Exception {
        aclServer.command("FLUSHALL");
        aclServer.command("HSET", "user:2", "name", "bob");

        assertThat(read(aclServer.url(), "username", "alice", "password", "alice-pw"))
                .containsExactly(Row.of(2, "bob"));
        assertThat(read(aclServer.url().replace("redis://", "redis://alice:alice-pw@")))
                .containsExactly(Row.of(2, "bob"));
    }

    @Test
    void aWrongPasswordOrUnknownUserFailsNamingTheUser() {
        Throwable wrong =
                catchThrowable(
                        () -> read(aclServer.url(), "username", "alice", "password", "nope"));
        assertThat(connectionError(wrong))
                .startsWith(
                        "Authentication to Redis at "
                                + aclServer.url()
                                + "/0 failed for user 'alice'");
        assertThat(ExceptionUtils.stringifyException(wrong)).doesNotContain("nope'");

        Throwable unknown =
                catchThrowable(() -> read(aclServer.url(), "username", "mallory", "password", "x"));
        assertThat(connectionError(unknown)).contains("failed for user 'mallory'");
    }

    @Test
    void aUserWithoutPermissionFailsNamingTheCommand() {
        Throwable t =
                catchThrowable(
                        () -> read(aclServer.url(), "username", "scanner", "password", "scan-pw"));

        assertThat(ExceptionUtils.stringifyException(t))
                .contains("HMGET of key 'user:2' failed", "NOPERM");
    }
}
