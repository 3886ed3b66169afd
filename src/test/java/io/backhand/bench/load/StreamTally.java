package io.backhand.bench.load;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/** What one stream measured; written to from the client's threads. Latencies in microseconds. */
final class StreamTally
{
    final ConcurrentHistogram latency = new ConcurrentHistogram(3_600_000_000L, 3);
    final LongAdder sent = new LongAdder();
    final LongAdder ok = new LongAdder();
    final LongAdder late = new LongAdder();
    final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    final Map<String, LongAdder> servedBy = new ConcurrentHashMap<>();
    /** The requests intended inside the trial's window, counted again on their own; null without a window. */
    final StreamTally window;
    /** Bucket index to answers by backend and errors; null without a timeline. */
    final Map<Integer, Map<String, LongAdder>> timeline;

    StreamTally()
    {
        this(false, false);
    }

    StreamTally(boolean withWindow, boolean withTimeline)
    {
        window = withWindow ? new StreamTally() : null;
        timeline = withTimeline ? new ConcurrentHashMap<>() : null;
    }

    void onTimeline(int bucket, String key)
    {
        if (timeline != null && bucket >= 0)
            timeline.computeIfAbsent(bucket, b -> new ConcurrentHashMap<>()).computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    void error(String kind)
    {
        errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    void served(String node)
    {
        servedBy.computeIfAbsent(node == null ? "?" : node, k -> new LongAdder()).increment();
    }

    StreamResult result(String label, long windowNanos, long unanswered)
    {
        return result(label, windowNanos, unanswered, 0, 0);
    }

    /**
     * @param partNanos the length of the trial's own window (the part of the measured window), for its throughput
     * @param buckets   how many timeline buckets the measured window holds
     */
    StreamResult result(String label, long windowNanos, long unanswered, long partNanos, int buckets)
    {
        Map<String, Long> errs = new TreeMap<>();
        errors.forEach((k, v) -> errs.put(k, v.sum()));
        if (unanswered > 0)
            errs.merge("unanswered", unanswered, Long::sum);
        Map<String, Long> by = new TreeMap<>();
        servedBy.forEach((k, v) -> by.put(k, v.sum()));
        Histogram h = latency.copy();
        java.util.List<Map<String, Long>> line = null;
        if (timeline != null)
        {
            line = new java.util.ArrayList<>();
            for (int b = 0; b < buckets; b++)
            {
                Map<String, Long> m = new TreeMap<>();
                Map<String, LongAdder> counts = timeline.get(b);
                if (counts != null)
                    counts.forEach((k, v) -> m.put(k, v.sum()));
                line.add(m);
            }
        }
        return new StreamResult(label, sent.sum(), ok.sum(), late.sum(), errs, by, ok.sum() * 1e9 / windowNanos,
            Percentiles.of(h), encode(h), window == null ? null : window.result(label, Math.max(1, partNanos), 0), line);
    }

    static String encode(Histogram h)
    {
        ByteBuffer buffer = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int n = h.encodeIntoCompressedByteBuffer(buffer);
        byte[] bytes = new byte[n];
        buffer.flip();
        buffer.get(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    static Histogram decode(String text)
    {
        try
        {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(text)), 0);
        }
        catch (java.util.zip.DataFormatException e)
        {
            throw new IllegalArgumentException("not an encoded histogram", e);
        }
    }
}
