package io.backhand.cluster;

import java.time.Duration;

/**
 * How unicast membership follows the cluster while it runs.
 *
 * @param refresh  how often the host names of backhand.peers are resolved again (backhand.peersRefresh); with
 *                 learning, also how often this node tells its peers which peers it hears
 * @param learnMax the most peers this node learns beyond its resolved list (backhand.learnPeers); 0 learns none.
 *                 Learning happens only with a secret (see {@link PeerDirectory})
 */
public record PeerDiscovery(Duration refresh, int learnMax)
{
    /**
     * Ten seconds: well below the JVM's own 30-second cache of DNS answers, so a change is seen soon after the
     * cache lets it through, and one lookup per name every ten seconds costs nothing worth counting.
     */
    public static final Duration DEFAULT_REFRESH = Duration.ofSeconds(10);
    /** As many servers as mod_backhand's table held. */
    public static final int DEFAULT_LEARN_MAX = 256;
    public static final PeerDiscovery DEFAULT = new PeerDiscovery(DEFAULT_REFRESH, DEFAULT_LEARN_MAX);

    public PeerDiscovery
    {
        if (refresh.isNegative() || refresh.isZero())
            throw new IllegalArgumentException("the peers' refresh interval must be positive");
        if (learnMax < 0)
            throw new IllegalArgumentException("the number of learned peers cannot be negative");
    }
}
