package io.backhand.bench.harness;

import java.util.Map;

import io.backhand.bench.backend.WorkGauge;
import io.backhand.bench.load.StreamResult;

/**
 * One measured trial, as written to the results file.
 *
 * @param variant  what else distinguishes it within the scenario (a load level, "two balancers", an interval)
 * @param load     offered load as a fraction of the cluster's capacity (0 for closed loop)
 * @param rate     requests per second offered through the balancers (0 for closed loop)
 * @param streams  "balanced" (all traffic through balancers, merged), and each stream by its label
 * @param backends each backend's own figures over the measured window
 * @param balancerCpuMicrosPerRequest CPU the balancer processes spent per answered request, warm-up included
 *                                    in neither (NaN without a balancer)
 * @param backendCpuMicrosPerRequest  the same for the backend JVM (NaN when not measured)
 * @param repeat   which of the repeated trials of this contender and variant (1, 2, 3, ...)
 */
record TrialRecord(String scenario, String contender, String variant, double load, double rate,
                   Map<String, StreamResult> streams, Map<String, WorkGauge.Snapshot> backends,
                   double balancerCpuMicrosPerRequest, double backendCpuMicrosPerRequest, int repeat)
{
    StreamResult balanced()
    {
        return streams.get("balanced");
    }
}
