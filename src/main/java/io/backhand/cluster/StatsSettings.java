package io.backhand.cluster;

import java.time.Duration;

/**
 * Everything the stats plane needs, already parsed and checked.
 *
 * @param transport       where announcements go and are heard
 * @param acceptStats     whose announcements are believed
 * @param secret          shared HMAC key, or null for unsigned announcements
 * @param interval        time between announcements
 * @param forgetAfter     how long a silent peer stays listed (as stale) before it is dropped
 * @param freshness       with a secret, the largest clock difference an announcement may show before it is a replay
 * @param memberAddresses where a member's contact address may lie (backhand.memberAddresses, by default the
 *                        AcceptStats ranges)
 */
public record StatsSettings(TransportSettings transport, AcceptStats acceptStats, byte[] secret, Duration interval,
                            Duration forgetAfter, Duration freshness, AcceptStats memberAddresses)
{
    /** Members' contacts limited to the AcceptStats ranges, the default. */
    public StatsSettings(TransportSettings transport, AcceptStats acceptStats, byte[] secret, Duration interval,
                         Duration forgetAfter, Duration freshness)
    {
        this(transport, acceptStats, secret, interval, forgetAfter, freshness, acceptStats);
    }
}
