package io.backhand.status;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The format checker used by the metrics tests must itself reject what Prometheus rejects. */
class PrometheusTextTest
{
    private static final String GOOD = """
        # HELP a_total Requests, with a \\\\ and a \\n in the help
        # TYPE a_total counter
        a_total{server="x",filter="f"} 3.0
        a_total{server="y\\"q\\\\\\n",filter="f"} 0
        # an ordinary comment
        # TYPE b gauge
        b NaN
        b{le="1"} +Inf 1712345678000
        # TYPE s summary
        s{quantile="0.5"} 1e-3
        s_sum 4
        s_count 2
        """;

    @Test
    void acceptsTheFormatAsDocumented()
    {
        List<PrometheusText.Sample> samples = PrometheusText.parse(GOOD);
        assertEquals(7, samples.size());
        assertEquals("y\"q\\\n", samples.get(1).labels().get("server"));
        assertEquals("s", samples.get(6).family());
    }

    @Test
    void rejectsEveryKindOfMistake()
    {
        String[] bad = {
            "a 1",                                          // no final newline
            "1a 1\n",                                       // bad metric name
            "a{1x=\"v\"} 1\n",                              // bad label name
            "a{x=v} 1\n",                                   // unquoted label value
            "a{x=\"v} 1\n",                                 // unterminated value
            "a{x=\"\\t\"} 1\n",                             // bad escape
            "a{x=\"1\",x=\"2\"} 1\n",                       // label twice
            "a 1.2.3\n",                                    // not a float
            "a 1 12.5\n",                                   // fractional timestamp
            "a 1 2 3\n",                                    // too many fields
            "a{x=\"1\"}1\n",                                // no space before the value
            "a 1\na 2\n",                                   // series twice
            "a{x=\"1\"} 1\nb 1\na{x=\"2\"} 1\n",            // family not together
            "a 1\n# TYPE a gauge\n",                        // TYPE after samples
            "# TYPE a gauge\n# TYPE a gauge\na 1\n",        // TYPE twice
            "# TYPE a gauges\na 1\n",                       // unknown type
            "# HELP a x\n# HELP a y\na 1\n",                // HELP twice
            "# HELP a bad \\q escape\na 1\n",               // HELP escape
            "# TYPE a_total counter\na_total -1\n",         // negative counter
            "# TYPE a_total counter\na_total NaN\n",        // NaN counter
        };
        for (String text : bad)
            assertThrows(AssertionError.class, () -> PrometheusText.parse(text), () -> "accepted: " + text);
    }
}
