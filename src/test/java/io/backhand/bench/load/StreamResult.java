package io.backhand.bench.load;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
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
 * @param window     the same figures for the requests intended inside the trial's window (a node slowed down or
 *                   failing), or null when the trial has none
 * @param timeline   per bucket of the trial's timeline (by intended send time, from the start of the measured
 *                   window): answers by backend, and {@code !errors}; null when the trial keeps none
 */
public record StreamResult(String label, long sent, long ok, long late, Map<String, Long> errors, Map<String, Long> servedBy,
                           double throughput, Percentiles latency, String histogram, StreamResult window,
                           List<Map<String, Long>> timeline)
{
    /** The key of a timeline bucket's error count: no backend is named so. */
    public static final String ERRORS = "!errors";

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
        List<StreamResult> windows = new ArrayList<>();
        List<Map<String, Long>> timeline = null;
        for (StreamResult r : parts)
        {
            if (r.window != null)
                windows.add(r.window);
            if (r.timeline != null)
            {
                if (timeline == null)
                    timeline = new ArrayList<>();
                for (int i = 0; i < r.timeline.size(); i++)
                {
                    while (timeline.size() <= i)
                        timeline.add(new TreeMap<>());
                    Map<String, Long> bucket = timeline.get(i);
                    r.timeline.get(i).forEach((k, v) -> bucket.merge(k, v, Long::sum));
                }
            }
            h.add(r.decodeHistogram());
            sent += r.sent;
            ok += r.ok;
            late += r.late;
            throughput += r.throughput;
            r.errors.forEach((k, v) -> errors.merge(k, v, Long::sum));
            r.servedBy.forEach((k, v) -> by.merge(k, v, Long::sum));
        }
        return new StreamResult(label, sent, ok, late, errors, by, throughput, Percentiles.of(h), StreamTally.encode(h),
            windows.isEmpty() ? null : merge(label, windows), timeline);
    }
}
