package io.backhand.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
        return create(path, "ip:127.0.0.1,dns:localhost");
    }

    /** With the given subject alternative names, keytool's syntax: {@code ip:127.0.0.1,dns:localhost}. */
    public static SelfSignedKeyStore create(Path path, String subjectAltNames) throws IOException, InterruptedException
    {
        Files.createDirectories(path.toAbsolutePath().getParent());
        Files.deleteIfExists(path);
        String password = UUID.randomUUID().toString();
        keytool(List.of("-genkeypair", "-alias", "backhand-test",
            "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=" + subjectAltNames,
            "-validity", "2", "-storetype", "PKCS12", "-keystore", path.toString(), "-storepass", password));
        return new SelfSignedKeyStore(path, password);
    }

    private static void keytool(List<String> arguments) throws IOException, InterruptedException
    {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(arguments);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0)
            throw new IllegalStateException("keytool " + arguments.get(0) + " failed: " + output);
    }

    /** The certificate alone, in PEM: what a client is told to trust. */
    public Path exportCertificate(Path pem) throws IOException, InterruptedException
    {
        Files.deleteIfExists(pem);
        keytool(List.of("-exportcert", "-rfc", "-alias", "backhand-test", "-keystore", path.toString(),
            "-storepass", password, "-file", pem.toString()));
        return pem;
    }

    /** The server side of TLS with this key. */
    public SslContextFactory.Server server()
    {
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStorePath(path.toString());
        tls.setKeyStorePassword(password);
        tls.setKeyStoreType("PKCS12");
        return tls;
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
