package io.backhand.bench.load;

import org.HdrHistogram.Histogram;

/** Latency summary in milliseconds. */
public record Percentiles(long count, double mean, double p50, double p90, double p99, double p999, double max)
{
    public static Percentiles of(Histogram h)
    {
        if (h.getTotalCount() == 0)
            return new Percentiles(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        return new Percentiles(h.getTotalCount(), h.getMean() / 1000, ms(h, 50), ms(h, 90), ms(h, 99), ms(h, 99.9),
            h.getMaxValue() / 1000.0);
    }

    private static double ms(Histogram h, double percentile)
    {
        return h.getValueAtPercentile(percentile) / 1000.0;
    }
}
