package io.backhand.proxy;


import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which request targets the proxy may forward: only paths (origin-form); anything else is served here. */
class ProxyTargetsTest
{
    @Test
    void onlyAPathIsForwarded()
    {
        assertTrue(ProxyTargets.isOriginForm("/"));
        assertTrue(ProxyTargets.isOriginForm("/a/b"));
        assertFalse(ProxyTargets.isOriginForm("*"), "OPTIONS * names no resource to forward");
        assertFalse(ProxyTargets.isOriginForm("http://evil.example/"));
        assertFalse(ProxyTargets.isOriginForm(""));
        assertFalse(ProxyTargets.isOriginForm(null));
    }
}
