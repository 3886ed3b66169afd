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
        Map<String, Long> errs = new TreeMap<>();
        errors.forEach((k, v) -> errs.put(k, v.sum()));
        if (unanswered > 0)
            errs.merge("unanswered", unanswered, Long::sum);
        Map<String, Long> by = new TreeMap<>();
        servedBy.forEach((k, v) -> by.put(k, v.sum()));
        Histogram h = latency.copy();
        return new StreamResult(label, sent.sum(), ok.sum(), late.sum(), errs, by, ok.sum() * 1e9 / windowNanos,
            Percentiles.of(h), encode(h));
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
