package io.backhand.cluster;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.backhand.stats.ServerStats;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/wire-format.md's examples are what the code sends, byte for byte, and its HMAC is plain RFC 2104. */
class WireFormatDocTest
{
    private static final byte[] EXAMPLE_KEY = "example key - never use it".getBytes(StandardCharsets.US_ASCII);

    private static byte[] example(String tag) throws Exception
    {
        String doc = Files.readString(Path.of("docs/wire-format.md"));
        Matcher m = Pattern.compile("```" + tag + "\\n(.*?)```", Pattern.DOTALL).matcher(doc);
        assertTrue(m.find(), "no ```" + tag + " block in docs/wire-format.md");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String line : m.group(1).split("\n"))
        {
            String[] words = line.strip().split("\\s+");
            for (int i = 1; i < words.length; i++)
                out.write(Integer.parseInt(words[i], 16));
        }
        return out.toByteArray();
    }

    @Test
    void theUnsignedExampleIsWhatTheEncoderSends() throws Exception
    {
        byte[] doc = example("hex-unsigned");
        StatsCodec codec = new StatsCodec(null);
        assertArrayEquals(codec.encode(Records.everyField()), doc);
        assertEquals(Records.everyField(), codec.decode(doc, doc.length).stats());
    }

    @Test
    void theSignedExampleCarriesAnHmacSha256OfEverythingBeforeIt() throws Exception
    {
        byte[] doc = example("hex-signed");
        assertArrayEquals(new StatsCodec(EXAMPLE_KEY).encode(Records.everyField()), doc);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(EXAMPLE_KEY, "HmacSHA256"));
        mac.update(doc, 0, doc.length - 32);
        byte[] trailer = new byte[32];
        System.arraycopy(doc, doc.length - 32, trailer, 0, 32);
        assertArrayEquals(mac.doFinal(), trailer, "computed independently of the codec");
    }

    @Test
    void theDocumentedSizesAreTheReal()
    {
        ServerStats smallest = ServerStats.builder().name("n").hostname("h").startedAtMillis(1).sentAtMillis(1).build();
        assertEquals(98, new StatsCodec(null).encode(smallest).length);
        String longest = "x".repeat(255);
        ServerStats largest = smallest.toBuilder().name(longest).hostname(longest).workerName(longest).version(longest)
            .contactAddress(Records.ip("fd00::1")).build();
        assertEquals(1164, new StatsCodec(EXAMPLE_KEY).encode(largest).length);
    }
}
