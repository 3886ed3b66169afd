package io.backhand.cluster;

import java.security.GeneralSecurityException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The HMAC-SHA256 that signs announcements and peer lists alike, so that one secret serves both. */
final class Hmac
{
    private Hmac()
    {
    }

    /** A MAC keyed with {@code secret}; every JVM must offer HmacSHA256, so its absence is not recoverable. */
    static Mac sha256(byte[] secret)
    {
        try
        {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac;
        }
        catch (GeneralSecurityException e)
        {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }
}
