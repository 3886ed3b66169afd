package io.backhand.web;


import java.util.EnumSet;

import io.backhand.demo.EmbeddedNode;
import io.backhand.testing.Http;
import io.backhand.testing.Net;
import jakarta.servlet.DispatcherType;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * When several Backhand filters match one request, the first decides and the others let it pass, as only one
 * Location block applied in httpd: a request the first filter kept here is not balanced again by the second.
 */
@Tag("cluster")
class TwoFiltersTest
{
    @Test
    void theFirstMatchingFilterDecidesAlone() throws Exception
    {
        EmbeddedNode node = EmbeddedNode.builder("two-filters").param("backhand.multicastStats", Net.multicastLine())
            .param("backhand.interface", "lo").param("backhand.acceptStats", "127.0.0.1/32")
            .balance("byAge 6").build();
        FilterHolder second = new FilterHolder(BackhandFilter.class);
        second.setName("second");
        second.setAsyncSupported(true);
        // Alone, this chain answers 503: this node is removed and it knows no peer.
        second.setInitParameter("candidacy", "removeSelf");
        node.context().addFilter(second, "/*", EnumSet.of(DispatcherType.REQUEST));
        try (EmbeddedNode running = node.start())
        {
            var r = Http.get(running.uri().resolve("/page"));
            assertEquals(200, r.statusCode(), "the second filter balanced a request the first had decided: " + r.headers().map() + r.body());
            assertEquals("two-filters", r.headers().firstValue("X-Served-By").orElse(""));
        }
    }
}
