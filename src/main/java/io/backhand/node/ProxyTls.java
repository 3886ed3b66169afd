package io.backhand.node;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;

import io.backhand.config.Settings;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * How the proxy speaks TLS to a member that announces a secure contact port: which certificates it trusts
 * ({@code backhand.proxyTrust}, a PEM file, else the JVM's default trust store) and whether a node's certificate
 * must name the address the proxy connects to ({@code backhand.proxyVerifyHost}). Read and checked when the
 * webapp deploys, like every setting, so that a missing or unreadable file stops the deployment rather than
 * every proxied request.
 *
 * @param trusted     the certificates of backhand.proxyTrust, empty for the JVM's default trust store
 * @param verifyHost  whether the certificate must name the member's address
 */
public record ProxyTls(List<Certificate> trusted, boolean verifyHost)
{
    public ProxyTls
    {
        trusted = List.copyOf(trusted);
    }

    public static ProxyTls read(Settings settings)
    {
        return new ProxyTls(SettingsRegistry.PROXY_TRUST.read(settings), SettingsRegistry.PROXY_VERIFY_HOST.read(settings));
    }

    /** backhand.proxyTrust: the certificates of a PEM file, checked when the webapp deploys. */
    static List<Certificate> certificates(Settings.Value file)
    {
        List<Certificate> trusted = new ArrayList<>();
        try (InputStream in = Files.newInputStream(Path.of(file.text())))
        {
            trusted.addAll(CertificateFactory.getInstance("X.509").generateCertificates(in));
        }
        catch (IOException | GeneralSecurityException e)
        {
            throw file.invalid("a readable file of PEM certificates (" + e.getMessage() + ")");
        }
        if (trusted.isEmpty())
            throw file.invalid("a file of PEM certificates; it holds none");
        return trusted;
    }

    /** A fresh client-side TLS configuration for the proxy's HttpClient. */
    public SslContextFactory.Client newClientFactory()
    {
        SslContextFactory.Client tls = new SslContextFactory.Client();
        // Jetty's client checks the host name by default; nodes are reached by the address they announce.
        tls.setEndpointIdentificationAlgorithm(verifyHost ? "HTTPS" : null);
        if (!trusted.isEmpty())
            tls.setTrustStore(trustStore());
        return tls;
    }

    private KeyStore trustStore()
    {
        try
        {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < trusted.size(); i++)
                store.setCertificateEntry("backhand-trusted-" + i, trusted.get(i));
            return store;
        }
        catch (IOException | GeneralSecurityException e)
        {
            throw new IllegalStateException("cannot hold the trusted certificates in memory", e);
        }
    }
}
