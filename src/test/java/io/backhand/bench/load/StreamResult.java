package io.backhand.bench.load;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

import org.HdrHistogram.Histogram;

/**
 * What one stream of a trial measured.
 *
 * @param sent       requests sent in the measured window (by intended send time)
 * @param ok         answered with a 2xx status
 * @param late       sent more than {@link LoadAgent#LATE_MILLIS} ms after their intended time (the generator fell behind)
 * @param errors     by kind: {@code http_503}, an exception's class name, {@code unanswered} at the end
 * @param servedBy   the backends' {@code X-Served-By} answers, for each backend's share
 * @param throughput answered requests per second of the measured window
 * @param latency    from intended send time to the end of the response, coordinated omission corrected
 * @param histogram  the HdrHistogram (microseconds), compressed and base64-encoded, so that streams can be merged
 */
public record StreamResult(String label, long sent, long ok, long late, Map<String, Long> errors, Map<String, Long> servedBy,
                           double throughput, Percentiles latency, String histogram)
{
    public long errorCount()
    {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    public Histogram decodeHistogram()
    {
        return StreamTally.decode(histogram);
    }

    /** The streams as one: counts added, histograms merged. */
    public static StreamResult merge(String label, Collection<StreamResult> parts)
    {
        Histogram h = new Histogram(3_600_000_000L, 3);
        long sent = 0, ok = 0, late = 0;
        double throughput = 0;
        Map<String, Long> errors = new TreeMap<>();
        Map<String, Long> by = new TreeMap<>();
        for (StreamResult r : parts)
        {
            h.add(r.decodeHistogram());
            sent += r.sent;
            ok += r.ok;
            late += r.late;
            throughput += r.throughput;
            r.errors.forEach((k, v) -> errors.merge(k, v, Long::sum));
            r.servedBy.forEach((k, v) -> by.merge(k, v, Long::sum));
        }
        return new StreamResult(label, sent, ok, late, errors, by, throughput, Percentiles.of(h), StreamTally.encode(h));
    }
}
