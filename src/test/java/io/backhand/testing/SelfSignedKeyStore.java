package io.backhand.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * A PKCS12 key store with one self-signed certificate for 127.0.0.1 and localhost, made by the JDK's keytool
 * when a test runs, with a random password: nothing that looks like a real key is ever committed.
 *
 * @param path     the key store file
 * @param password its password (also the key's)
 */
public record SelfSignedKeyStore(Path path, String password)
{
    public static SelfSignedKeyStore create(Path path) throws IOException, InterruptedException
    {
        Files.createDirectories(path.toAbsolutePath().getParent());
        Files.deleteIfExists(path);
        String password = UUID.randomUUID().toString();
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "backhand-test",
            "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
            "-validity", "2", "-storetype", "PKCS12", "-keystore", path.toString(), "-storepass", password))
            .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || !Files.isRegularFile(path))
            throw new IllegalStateException("keytool failed: " + output);
        return new SelfSignedKeyStore(path, password);
    }

    /** A TLS client that trusts this certificate only, checking that it names the host it connects to. */
    public SslContextFactory.Client trustingClient()
    {
        SslContextFactory.Client tls = new SslContextFactory.Client();
        tls.setTrustStorePath(path.toString());
        tls.setTrustStorePassword(password);
        tls.setTrustStoreType("PKCS12");
        tls.setEndpointIdentificationAlgorithm("HTTPS");
        return tls;
    }
}
