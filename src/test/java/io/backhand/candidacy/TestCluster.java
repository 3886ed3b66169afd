package io.backhand.candidacy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

import io.backhand.cluster.ClusterView;
import io.backhand.cluster.Member;
import io.backhand.cluster.PeerLedger;
import io.backhand.stats.ServerStats;

/**
 * Builds real cluster views for function tests: real {@link Member}s with real {@link PeerLedger}s, heard at
 * chosen ages, so that every figure a function reads is the one production code computes.
 */
public final class TestCluster
{
    /** The decision's clock; members are heard relative to it. */
    public static final long NOW = 1_000_000_000_000L;

    private final List<Member> members = new ArrayList<>();
    private Member self;
    private int highWater1000 = 1000;

    public static TestCluster create()
    {
        return new TestCluster();
    }

    /** This node, which is never stale. */
    public TestCluster self(String name, UnaryOperator<ServerStats.Builder> figures)
    {
        self = member(name, 0, true, figures);
        members.add(self);
        return this;
    }

    public TestCluster self(String name)
    {
        return self(name, b -> b);
    }

    /** A peer last heard {@code ageSeconds} before {@link #NOW}. */
    public TestCluster peer(String name, double ageSeconds, UnaryOperator<ServerStats.Builder> figures)
    {
        members.add(member(name, ageSeconds, false, figures));
        return this;
    }

    public TestCluster peer(String name, UnaryOperator<ServerStats.Builder> figures)
    {
        return peer(name, 1, figures);
    }

    public TestCluster peer(String name)
    {
        return peer(name, 1, b -> b);
    }

    public TestCluster highWater(double load)
    {
        highWater1000 = (int) (load * 1000);
        return this;
    }

    private Member member(String name, double ageSeconds, boolean isSelf, UnaryOperator<ServerStats.Builder> figures)
    {
        int k = members.size() + 1;
        InetAddress address = address(k);
        ServerStats stats = figures.apply(ServerStats.builder().name(name).hostname(name + ".example.com")
            .contactAddress(address).contactPort(8000 + k).workerName(name)).build();
        return new Member(stats, new InetSocketAddress(stats.contactAddress() != null ? stats.contactAddress() : address,
            stats.contactPort()), isSelf ? null : address, NOW - (long) (ageSeconds * 1e9), isSelf, new PeerLedger());
    }

    static InetAddress address(int k)
    {
        try
        {
            return InetAddress.getByAddress(new byte[] {127, 0, (byte) (k >> 8), (byte) k});
        }
        catch (UnknownHostException e)
        {
            throw new IllegalStateException(e);
        }
    }

    public ClusterView view()
    {
        if (self == null)
            throw new IllegalStateException("a view always has this node");
        int maxArriba = 1;
        for (Member m : members)
            maxArriba = Math.max(maxArriba, m.stats().arriba());
        return new ClusterView(members, self, NOW, maxArriba, highWater1000, null);
    }

    public Member get(String name)
    {
        for (Member m : members)
        {
            if (m.name().equals(name))
                return m;
        }
        throw new IllegalArgumentException(name);
    }

    /** Marks {@code n} requests as sent by this node to {@code name} since its last announcement. */
    public TestCluster sent(String name, int n)
    {
        PeerLedger ledger = get(name).ledger();
        for (int i = 0; i < n; i++)
            ledger.requestStarted();
        return this;
    }

    public static DecisionContext context(ClusterView view, boolean interpreted, long seed)
    {
        return new DecisionContext(NOW, new SplittableRandom(seed), view, interpreted);
    }

    public static DecisionContext context(ClusterView view)
    {
        return context(view, true, 1);
    }

    /** A decision buffer holding {@code input} (names of members of {@code view}), in that order. */
    public static Candidates candidates(ClusterView view, List<String> input)
    {
        Candidates c = new Candidates();
        c.reset(view.members());
        // Start from the requested sub-list while keeping the whole view as what may be re-added.
        c.truncate(0);
        for (String n : input)
        {
            Member m = view.byName(n);
            if (m == null)
                throw new IllegalArgumentException(n + " is not in the view");
            c.add(m);
        }
        return c;
    }

    /** Runs {@code f} over {@code input} and returns the names it leaves, in order. */
    public static List<String> run(CandidacyFunction f, ClusterView view, List<String> input, RequestView request,
                                   DecisionContext ctx)
    {
        Candidates c = candidates(view, input);
        f.apply(c, request, ctx);
        return names(c);
    }

    public static List<String> run(CandidacyFunction f, ClusterView view, List<String> input)
    {
        return run(f, view, input, RequestView.NONE, context(view));
    }

    /** Runs {@code f} over the whole view, in the view's order. */
    public static List<String> run(CandidacyFunction f, ClusterView view)
    {
        return run(f, view, view.members().stream().map(Member::name).toList());
    }

    /** The one function of a one-line chain, built by the real parser from the directive as users write it. */
    public static CandidacyFunction fn(String line)
    {
        try
        {
            Chain chain = ChainParser.standard().parse(line);
            if (chain.steps().size() != 1)
                throw new IllegalArgumentException("one function expected: " + line);
            return chain.steps().get(0).function();
        }
        catch (ChainException e)
        {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    /** The parser's complaint about {@code chain}; fails when the chain parses. */
    public static ChainException error(String chain)
    {
        try
        {
            ChainParser.standard().parse(chain);
        }
        catch (ChainException e)
        {
            return e;
        }
        throw new AssertionError("expected an error for: " + chain);
    }

    public static List<String> names(Candidates c)
    {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < c.size(); i++)
            out.add(c.get(i).name());
        return out;
    }
}
