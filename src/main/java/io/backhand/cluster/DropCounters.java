package io.backhand.cluster;

import java.net.InetAddress;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts dropped datagrams by reason and logs each reason at most once a minute: a flood of bad packets
 * must neither go unnoticed nor fill the disk.
 */
public final class DropCounters
{
    private static final Logger LOG = LoggerFactory.getLogger("backhand.net");
    static final long LOG_EVERY_NANOS = 60_000_000_000L;

    private final Map<DropReason, LongAdder> counts = new EnumMap<>(DropReason.class);
    private final Map<DropReason, AtomicLong> lastLogged = new EnumMap<>(DropReason.class);
    private final LongAdder accepted = new LongAdder();
    private final LongSupplier nanoClock;
    private final Consumer<String> log;

    public DropCounters()
    {
        this(System::nanoTime, LOG::warn);
    }

    /** With the clock and the log line's destination given, so that the once-a-minute rule can be tested. */
    DropCounters(LongSupplier nanoClock, Consumer<String> log)
    {
        this.nanoClock = nanoClock;
        this.log = log;
        long now = nanoClock.getAsLong();
        for (DropReason r : DropReason.values())
        {
            counts.put(r, new LongAdder());
            lastLogged.put(r, new AtomicLong(now - LOG_EVERY_NANOS - 1));
        }
    }

    public void drop(DropReason reason, InetAddress source)
    {
        LongAdder count = counts.get(reason);
        count.increment();
        long now = nanoClock.getAsLong();
        AtomicLong last = lastLogged.get(reason);
        long prev = last.get();
        if (now - prev > LOG_EVERY_NANOS && last.compareAndSet(prev, now))
        {
            log.accept("Dropped an announcement from " + (source == null ? "?" : source.getHostAddress()) + ": "
                + reason.description() + " (" + count.sum() + " so far; logged at most once a minute per reason)");
        }
    }

    public void accepted()
    {
        accepted.increment();
    }

    public long count(DropReason reason)
    {
        return counts.get(reason).sum();
    }

    public long acceptedCount()
    {
        return accepted.sum();
    }

    /** A consistent-enough copy for the status page and metrics. */
    public Map<DropReason, Long> snapshot()
    {
        Map<DropReason, Long> out = new EnumMap<>(DropReason.class);
        counts.forEach((r, c) -> out.put(r, c.sum()));
        return out;
    }
}
