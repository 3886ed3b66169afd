package io.backhand.node;

import java.io.File;
import java.time.Duration;
import java.util.Map;

import io.backhand.cluster.PeerDiscovery;
import io.backhand.cluster.TransportSettings;
import io.backhand.config.ConfigException;
import io.backhand.config.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** backhand.peersRefresh and backhand.learnPeers as the node reads them: defaults, values, refusals. */
class PeerSettingsTest
{
    @TempDir
    File dir;

    private TransportSettings read(Map<String, String> params)
    {
        return NodeSettings.read(Settings.ofContextParams(params), dir).stats().transport();
    }

    @Test
    void defaultsAndGivenValues()
    {
        assertEquals(PeerDiscovery.DEFAULT, read(Map.of("backhand.peers", "127.0.0.1:4445")).discovery());
        TransportSettings t = read(Map.of("backhand.peers", "127.0.0.1:4445", "backhand.peersRefresh", "2s",
            "backhand.learnPeers", "0"));
        assertEquals(new PeerDiscovery(Duration.ofSeconds(2), 0), t.discovery());
    }

    @Test
    void badValuesSayWhatIsExpected()
    {
        ConfigException refresh = assertThrows(ConfigException.class, () -> read(Map.of("backhand.peersRefresh", "10ms")));
        assertTrue(refresh.getMessage().contains("backhand.peersRefresh"), refresh.getMessage());
        ConfigException learn = assertThrows(ConfigException.class, () -> read(Map.of("backhand.learnPeers", "-1")));
        assertTrue(learn.getMessage().contains("backhand.learnPeers"), learn.getMessage());
    }
}
