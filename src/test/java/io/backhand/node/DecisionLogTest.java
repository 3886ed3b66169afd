package io.backhand.node;

import java.util.List;

import io.backhand.candidacy.DecisionTrace;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DecisionLogTest
{
    private static DecisionLog.Entry entry(int i)
    {
        return new DecisionLog.Entry(i, "GET", "/" + i, false, new DecisionTrace());
    }

    @Test
    void keepsTheNewestDecisionsNewestFirst()
    {
        DecisionLog log = new DecisionLog();
        assertEquals(List.of(), log.newestFirst());
        for (int i = 1; i <= 3; i++)
            log.add(entry(i));
        assertEquals(List.of("/3", "/2", "/1"), log.newestFirst().stream().map(DecisionLog.Entry::path).toList());

        for (int i = 4; i <= DecisionLog.CAPACITY + 5; i++)
            log.add(entry(i));
        List<DecisionLog.Entry> kept = log.newestFirst();
        assertEquals(DecisionLog.CAPACITY, kept.size());
        assertEquals("/" + (DecisionLog.CAPACITY + 5), kept.get(0).path());
        assertEquals("/6", kept.get(kept.size() - 1).path(), "the oldest made room");
        assertEquals(DecisionLog.CAPACITY + 5, log.total());
    }

    @Test
    void samplesOneDecisionPerSecond()
    {
        DecisionLog log = new DecisionLog();
        long t = System.nanoTime();
        assertTrue(log.sampleDue(t), "the first decision is sampled");
        assertFalse(log.sampleDue(t));
        assertFalse(log.sampleDue(t + DecisionLog.SAMPLE_EVERY_NANOS - 1));
        assertTrue(log.sampleDue(t + DecisionLog.SAMPLE_EVERY_NANOS));
        assertFalse(log.sampleDue(t + DecisionLog.SAMPLE_EVERY_NANOS + 1));
        // A quiet spell does not bank samples: after a minute without traffic, still one.
        long later = t + 60 * DecisionLog.SAMPLE_EVERY_NANOS;
        assertTrue(log.sampleDue(later));
        assertFalse(log.sampleDue(later + 1));
    }
}
