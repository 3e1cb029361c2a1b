package io.github.flinkredis.testutils;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away certificate authority with a server certificate (for {@code localhost} and {@code
 * 127.0.0.1}) and a client certificate, generated at test time and written as PEM files (for {@code
 * redis-server}) and PKCS12 stores (for Java clients).
 */
public final class TestCertificates {

    /** Password of the PKCS12 stores. */
    public static final String STORE_PASSWORD = "changeit";

    /** Password of client-encrypted.key, the client key as encrypted PKCS#8 PEM. */
    public static final String KEY_PASSWORD = "k3y-pa55";

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private final Path directory;

    private TestCertificates(Path directory) {
        this.directory = directory;
    }

    /** Generates a CA, a server and a client certificate into {@code directory}. */
    public static TestCertificates generate(Path directory) throws IOException {
        try {
            KeyPair caKeys = rsa();
            X509Certificate ca =
                    sign(
                            "CN=flink-connector-redis test CA",
                            caKeys,
                            "CN=flink-connector-redis test CA",
                            caKeys,
                            true);
            KeyPair serverKeys = rsa();
            X509Certificate server =
                    sign(
                            "CN=localhost",
                            serverKeys,
                            "CN=flink-connector-redis test CA",
                            caKeys,
                            false);
            KeyPair clientKeys = rsa();
            X509Certificate client =
                    sign(
                            "CN=flink-client",
                            clientKeys,
                            "CN=flink-connector-redis test CA",
                            caKeys,
                            false);

            TestCertificates certs = new TestCertificates(directory);
            certs.pem("ca.crt", ca);
            certs.pem("server.crt", server);
            certs.pem("server.key", serverKeys.getPrivate());
            certs.pem("client.crt", client);
            certs.pem("client.key", clientKeys.getPrivate());
            certs.pem(
                    "client-encrypted.key",
                    new JcaPKCS8Generator(
                            clientKeys.getPrivate(),
                            new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.PBE_SHA1_3DES)
                                    .setPassword(KEY_PASSWORD.toCharArray())
                                    .build()));

            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", ca);
            certs.store("truststore.p12", trust);
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry(
                    "client",
                    clientKeys.getPrivate(),
                    STORE_PASSWORD.toCharArray(),
                    new Certificate[] {client, ca});
            certs.store("client.p12", keys);
            return certs;
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("Could not generate test certificates", e);
        }
    }

    private static KeyPair rsa() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static X509Certificate sign(
            String subject, KeyPair subjectKeys, String issuer, KeyPair issuerKeys, boolean isCa)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        long now = System.currentTimeMillis();
        X509v3CertificateBuilder builder =
                new JcaX509v3CertificateBuilder(
                        new X500Name(issuer),
                        BigInteger.valueOf(SERIAL.incrementAndGet()),
                        new Date(now - 3_600_000L),
                        new Date(now + 2 * 86_400_000L),
                        new X500Name(subject),
                        subjectKeys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
        if (isCa) {
            builder.addExtension(
                    Extension.keyUsage,
                    true,
                    new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } else {
            builder.addExtension(
                    Extension.subjectAlternativeName,
                    false,
                    new GeneralNames(
                            new GeneralName[] {
                                new GeneralName(GeneralName.dNSName, "localhost"),
                                new GeneralName(GeneralName.iPAddress, "127.0.0.1")
                            }));
        }
        return new JcaX509CertificateConverter()
                .getCertificate(
                        builder.build(
                                new JcaContentSignerBuilder("SHA256withRSA")
                                        .build(issuerKeys.getPrivate())));
    }

    private void pem(String name, Object object) throws IOException {
        try (Writer out = Files.newBufferedWriter(directory.resolve(name));
                JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(object);
        }
    }

    private void store(String name, KeyStore store) throws IOException, GeneralSecurityException {
        try (OutputStream out = Files.newOutputStream(directory.resolve(name))) {
            store.store(out, STORE_PASSWORD.toCharArray());
        }
    }

    /**
     * An SSL context that trusts the test CA and presents the client certificate: what a client of
     * a test TLS server uses.
     */
    public javax.net.ssl.SSLContext sslContext() throws IOException {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            try (java.io.InputStream in = Files.newInputStream(file("truststore.p12"))) {
                trust.load(in, STORE_PASSWORD.toCharArray());
            }
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (java.io.InputStream in = Files.newInputStream(file("client.p12"))) {
                keys.load(in, STORE_PASSWORD.toCharArray());
            }
            javax.net.ssl.TrustManagerFactory tmf =
                    javax.net.ssl.TrustManagerFactory.getInstance(
                            javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            javax.net.ssl.KeyManagerFactory kmf =
                    javax.net.ssl.KeyManagerFactory.getInstance(
                            javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, STORE_PASSWORD.toCharArray());
            javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("Could not load the test certificates", e);
        }
    }

    /**
     * A file of this set: ca.crt, server.crt, server.key, client.crt, client.key (PEM),
     * client-encrypted.key (PEM, encrypted PKCS#8, {@link #KEY_PASSWORD}), truststore.p12,
     * client.p12.
     */
    public Path file(String name) {
        return directory.resolve(name);
    }
}
