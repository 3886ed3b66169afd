package io.backhand.candidacy;

import java.util.random.RandomGenerator;

import io.backhand.cluster.ClusterView;
import io.backhand.cluster.Member;

/**
 * Everything a function may consult besides the candidates and the request: the clock, the random source,
 * the cluster snapshot, and which figures to trust.
 *
 * <p>{@code interpreted} is on in production: load-ranking functions read the announced value plus the
 * requests this node sent since. The raw mode exists only so that a test and a benchmark can show the herd
 * it prevents.</p>
 */
public final class DecisionContext
{
    private long nowNanos;
    private RandomGenerator random;
    private ClusterView view;
    private boolean interpreted = true;
    private long slowStartNanos;

    public DecisionContext()
    {
    }

    public DecisionContext(long nowNanos, RandomGenerator random, ClusterView view, boolean interpreted)
    {
        set(nowNanos, random, view, interpreted);
    }

    /** Re-arms a thread's context for the next decision without allocating. */
    public DecisionContext set(long nowNanos, RandomGenerator random, ClusterView view, boolean interpreted)
    {
        this.nowNanos = nowNanos;
        this.random = random;
        this.view = view;
        this.interpreted = interpreted;
        return this;
    }

    /**
     * Slow start: a server that has been up for less than this takes only a growing share of the requests it
     * would win (see {@link SlowStart}). 0 turns it off.
     */
    public DecisionContext slowStart(long nanos)
    {
        this.slowStartNanos = Math.max(0, nanos);
        return this;
    }

    public long slowStartNanos()
    {
        return slowStartNanos;
    }

    public long nowNanos()
    {
        return nowNanos;
    }

    public RandomGenerator random()
    {
        return random;
    }

    public ClusterView view()
    {
        return view;
    }

    public Member self()
    {
        return view.self();
    }

    public boolean interpreted()
    {
        return interpreted;
    }

    /** Busy workers as functions should see them. */
    public int busy(Member m)
    {
        return interpreted ? m.interpretedBusy() : m.stats().busyWorkers();
    }

    /** Load average as functions should see it, before speed normalisation. */
    public double load(Member m)
    {
        return interpreted ? m.interpretedLoad() : m.stats().load();
    }

    /** Load normalised by relative speed: a box at a third of the fastest box's speed counts its load triple. */
    public double normalisedLoad(Member m)
    {
        return load(m) * view.maxArriba() / Math.max(1, m.stats().arriba());
    }
}
