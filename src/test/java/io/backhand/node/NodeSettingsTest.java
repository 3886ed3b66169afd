package io.backhand.node;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.backhand.config.ConfigException;
import io.backhand.config.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server-wide settings: the registry's defaults, the defaults worked out from other settings, and the errors. */
class NodeSettingsTest
{
    @TempDir
    Path dir;

    private NodeSettings read(String... nameValue)
    {
        Map<String, String> params = new HashMap<>();
        params.put("backhand.stateDir", dir.toString());
        for (int i = 0; i < nameValue.length; i += 2)
            params.put(nameValue[i], nameValue[i + 1]);
        return NodeSettings.read(Settings.ofContextParams(params), null);
    }

    private String error(String... nameValue)
    {
        return assertThrows(ConfigException.class, () -> read(nameValue)).getMessage();
    }

    @Test
    void nothingSetGivesTheDocumentedDefaults()
    {
        NodeSettings s = read();
        assertEquals(Duration.ofSeconds(1), s.stats().interval());
        assertEquals(Duration.ofSeconds(30), s.stats().forgetAfter(), "30 s, as ten intervals are less");
        assertFalse(s.selfRedirect());
        assertTrue(s.connectionPools());
        assertEquals("/backhand", s.statusPath());
        assertEquals(Duration.ofSeconds(10), s.leaveGrace());
        assertEquals(Duration.ZERO, s.slowStart());
        assertEquals(0, s.contactPort());
        assertEquals(null, s.arriba());
    }

    @Test
    void forgetAfterFollowsTheIntervalAndMayNotBeShorterThanTwo()
    {
        assertEquals(Duration.ofSeconds(50), read("backhand.announceInterval", "5s").stats().forgetAfter());
        assertEquals("backhand.forgetAfter (context-param): '5s' is not valid; expected a duration such as 500ms, 1s or 2m, "
            + "from 6s to 60m", error("backhand.announceInterval", "3s", "backhand.forgetAfter", "5s"));
    }

    @Test
    void aPeerWithoutAPortIsExplained()
    {
        String message = error("backhand.peers", "10.0.0.1:4445 app3");
        assertTrue(message.startsWith("backhand.peers (context-param): "), message);
        assertTrue(message.endsWith("; expected host:port entries"), message);
    }

    @Test
    void peersOnSeveralPortsNeedListen()
    {
        assertTrue(error("backhand.peers", "127.0.0.1:4445 127.0.0.2:4446").contains("so set backhand.listen"));
        assertEquals(List.of(4447), read("backhand.peers", "127.0.0.1:4445 127.0.0.2:4446", "backhand.listen", ":4447")
            .stats().transport().listenPorts());
    }

    @Test
    void adminAccessNeverLeavesLoopback()
    {
        assertEquals("backhand.adminAccess (context-param): '10.0.0.0/8' is not valid; expected loopback address ranges "
            + "only (admin from elsewhere needs the shared secret)", error("backhand.adminAccess", "10.0.0.0/8"));
    }

    @Test
    void onlyOneSecretMayBeSet()
    {
        assertTrue(error("backhand.secret", "0123456789abcdef", "backhand.secretFile", "/nonexistent")
            .endsWith("are both set; set only one"));
        assertTrue(error("backhand.secret", "short").endsWith("expected a shared secret of at least 16 characters"));
    }

    @Test
    void statusPathSlashGivesTheWholeContext()
    {
        assertEquals("", read("backhand.statusPath", "/").statusPath());
        assertTrue(error("backhand.statusPath", "status").endsWith("expected a path such as /backhand"));
    }
}
