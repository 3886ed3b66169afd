package io.backhand.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static io.backhand.cluster.Records.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DropCountersTest
{
    private final AtomicLong clock = new AtomicLong(5_000_000_000_000L);
    private final List<String> lines = new ArrayList<>();
    private final DropCounters drops = new DropCounters(clock::get, lines::add);

    @Test
    void eachReasonIsCountedSeparately()
    {
        drops.drop(DropReason.FOREIGN, ip("10.0.0.1"));
        drops.drop(DropReason.FOREIGN, ip("10.0.0.2"));
        drops.drop(DropReason.REPLAYED, ip("10.0.0.1"));
        drops.accepted();
        assertEquals(2, drops.count(DropReason.FOREIGN));
        assertEquals(1, drops.count(DropReason.REPLAYED));
        assertEquals(0, drops.count(DropReason.MALFORMED));
        assertEquals(1, drops.acceptedCount());
        assertEquals(DropReason.values().length, drops.snapshot().size(), "every reason is reported, zero or not");
    }

    @Test
    void eachReasonIsLoggedAtMostOnceAMinute()
    {
        for (int i = 0; i < 1000; i++)
        {
            drops.drop(DropReason.MALFORMED, ip("10.0.0.1"));
            clock.addAndGet(10_000_000L);
        }
        assertEquals(1, lines.size(), "10 seconds of a flood: one line " + lines);
        assertTrue(lines.get(0).contains("malformed") && lines.get(0).contains("10.0.0.1"), lines.get(0));
        drops.drop(DropReason.BAD_SIGNATURE, ip("10.0.0.3"));
        assertEquals(2, lines.size(), "another reason has its own minute");
        clock.addAndGet(DropCounters.LOG_EVERY_NANOS);
        drops.drop(DropReason.MALFORMED, ip("10.0.0.1"));
        assertEquals(3, lines.size());
        assertTrue(lines.get(2).contains("1001 so far"), lines.get(2));
    }
}
