package io.backhand.candidacy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;

import io.backhand.cluster.ClusterTable;
import io.backhand.cluster.ClusterView;
import io.backhand.cluster.Member;
import io.backhand.stats.NodeState;
import io.backhand.stats.ServerStats;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Properties of every built-in function on random clusters, built by the real {@link ClusterTable} from random
 * announcements: no function invents a server (only addSelf adds, and only this node), the output is always a
 * reordering or a subset of the input, filters keep the order of what they keep, and whole chains only ever
 * aim at members of the view.
 */
class CandidacyPropertiesTest
{
    private static final int CLUSTERS = 300;
    private static final String[] HOSTS = {"web", "app", "sun", "alpha", "db"};
    /** Directives whose output is the input in the same relative order, minus some. */
    private static final Set<String> FILTERS = Set.of("byAge", "byHostname", "removeSelf", "byLogWindow");
    /** Directives whose output is a permutation of the input. */
    private static final Set<String> REORDERINGS = Set.of("byRandom", "byLoad", "byBusyChildren", "byCPU", "byCost",
        "byLatency", "byExpectedDelay", "byExtrapolatedDelay", "bySession", "HTTPRedirectToIP", "HTTPRedirectToName");

    private record Cluster(ClusterView view, long now)
    {
    }

    private static Cluster randomCluster(Random r) throws Exception
    {
        long t0 = 5_000_000_000_000L;
        ServerStats self = stats(r, "self", 0);
        ClusterTable table = new ClusterTable(self, new InetSocketAddress(InetAddress.getLoopbackAddress(), 9000),
            Long.MAX_VALUE / 4, 0, 0, null, t0);
        int peers = r.nextInt(r.nextInt(10) == 0 ? 70 : 12);
        long now = t0 + 120_000_000_000L;
        for (int i = 0; i < peers; i++)
        {
            ServerStats s = stats(r, "peer" + i, i + 1);
            long heardAt = now - (long) (r.nextDouble() * (r.nextBoolean() ? 8e9 : 60e9));
            InetAddress source = InetAddress.getByAddress(new byte[] {10, 0, (byte) (i >> 8), (byte) (r.nextInt(5) == 0 ? 1 : i)});
            table.offer(s, source, heardAt, 0);
        }
        ClusterView view = table.publish(now);
        for (Member m : view.members())
        {
            for (int k = r.nextInt(4); k > 0; k--)
                m.ledger().requestStarted();
            if (r.nextInt(3) > 0)
                m.ledger().ewma().record(1_000_000L + r.nextInt(200_000_000), now - r.nextInt(1_000_000_000));
            if (!m.isSelf() && r.nextInt(15) == 0)
                m.ledger().markDown(now);
        }
        return new Cluster(view, now);
    }

    private static ServerStats stats(Random r, String name, int i) throws Exception
    {
        long total = 1L << (28 + r.nextInt(6));
        return ServerStats.builder().name(name).hostname(HOSTS[r.nextInt(HOSTS.length)] + i + ".example.com")
            .contactAddress(i == 0 ? InetAddress.getLoopbackAddress() : null).contactPort(8000 + i)
            .startedAtMillis(1).sequence(1)
            .state(r.nextInt(6) == 0 ? NodeState.DRAINING : NodeState.READY)
            .arriba(1 + r.nextInt(r.nextBoolean() ? 3 : 5000)).inFlight(r.nextInt(r.nextBoolean() ? 3 : 200))
            .load1000(r.nextInt(r.nextBoolean() ? 2000 : 64_000)).loadHighWater1000(1000 << r.nextInt(5))
            .cpuIdle1000(r.nextInt(1001)).cpuCount(1 + r.nextInt(16)).memTotalBytes(total)
            .memFreeBytes((long) (total * r.nextDouble())).workerName(r.nextInt(4) == 0 ? "" : "node" + i).build();
    }

    private static String randomLine(Random r, ClusterView view)
    {
        return switch (r.nextInt(16))
        {
            case 0 -> "byAge " + (r.nextBoolean() ? "" : String.valueOf(0.5 + r.nextInt(30)));
            case 1 -> "byRandom";
            case 2 -> "byLogWindow";
            case 3 -> "byLoad " + (r.nextBoolean() ? "" : String.valueOf(r.nextDouble()));
            case 4 -> "byBusyChildren " + (r.nextBoolean() ? "" : String.valueOf(r.nextInt(50)));
            case 5 -> "byCPU";
            case 6 -> "byCost";
            case 7 -> "addSelf";
            case 8 -> "removeSelf";
            case 9 -> "bySession" + (r.nextBoolean() ? "" : " JSESSIONID");
            case 10 -> "byHostname " + HOSTS[r.nextInt(HOSTS.length)] + (r.nextBoolean() ? "" : "[0-9]");
            case 11 -> "HTTPRedirectToIP";
            case 12 -> "HTTPRedirectToName " + (r.nextBoolean() ? "%s" : "%s.example.com");
            case 13 -> "byLatency";
            case 14 -> "byExpectedDelay";
            default -> "Backhand byLoad";
        };
    }

    private static RequestView randomRequest(Random r, ClusterView view)
    {
        Member m = view.members().get(r.nextInt(view.size()));
        String id = switch (r.nextInt(4))
        {
            case 0 -> null;
            case 1 -> "abc123." + m.stats().workerName();
            case 2 -> String.format("%08x", ipv4(m)) + "f00d";
            default -> "junk." + r.nextInt(99);
        };
        TestRequest req = TestRequest.create();
        return id == null ? req : switch (r.nextInt(3))
        {
            case 0 -> req.cookie("JSESSIONID", id);
            case 1 -> req.query("JSESSIONID", id);
            default -> req.pathParam("JSESSIONID", id);
        };
    }

    private static int ipv4(Member m)
    {
        byte[] b = (m.source() != null ? m.source() : m.contact().getAddress()).getAddress();
        return b.length != 4 ? 0 : (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
    }

    private static List<Member> randomInput(Random r, ClusterView view)
    {
        List<Member> all = new ArrayList<>(view.members());
        Collections.shuffle(all, r);
        return all.subList(0, r.nextInt(all.size() + 1));
    }

    @Test
    void noFunctionInventsAServerAndEachOutputIsAReorderingOrASubsetOfItsInput() throws Exception
    {
        Random r = new Random(20240611);
        int checked = 0;
        for (int n = 0; n < CLUSTERS; n++)
        {
            Cluster cluster = randomCluster(r);
            ClusterView view = cluster.view();
            Set<Member> inView = Collections.newSetFromMap(new IdentityHashMap<>());
            inView.addAll(view.members());
            for (int k = 0; k < 30; k++)
            {
                String line = randomLine(r, view).strip();
                CandidacyFunction f = ChainParser.standard().parse(line).steps().get(0).function();
                String directive = line.startsWith("Backhand ") ? line.split(" ")[1] : line.split(" ")[0];
                List<Member> input = randomInput(r, view);
                Candidates c = new Candidates().reset(view.members());
                c.truncate(0);
                input.forEach(c::add);
                f.apply(c, randomRequest(r, view), new DecisionContext(cluster.now(), new SplittableRandom(r.nextLong()),
                    view, r.nextBoolean()));
                List<Member> output = new ArrayList<>();
                for (int i = 0; i < c.size(); i++)
                    output.add(c.get(i));
                String where = "cluster " + n + ", " + line + ", input " + input + ", output " + output;

                Set<Member> seen = Collections.newSetFromMap(new IdentityHashMap<>());
                for (Member m : output)
                {
                    assertTrue(inView.contains(m), "a server that is not in the view: " + where);
                    assertTrue(seen.add(m), "a server twice: " + where);
                    if (!contains(input, m))
                    {
                        assertEquals("addSelf", directive, "only addSelf may add: " + where);
                        assertSame(view.self(), m, "addSelf may only add this node: " + where);
                    }
                }
                if (directive.equals("addSelf"))
                {
                    assertTrue(contains(output, view.self()), where);
                    assertEquals(input.size() + (contains(input, view.self()) ? 0 : 1), output.size(), where);
                }
                else if (FILTERS.contains(directive))
                    assertEquals(input.stream().filter(m -> contains(output, m)).toList(), output, "order kept: " + where);
                else if (REORDERINGS.contains(directive))
                    assertEquals(Set.copyOf(input), Set.copyOf(output), "a reordering: " + where);
                else
                    fail("no property for " + directive);
                checked++;
            }
        }
        assertEquals(CLUSTERS * 30, checked);
    }

    @Test
    void aWholeChainOnlyEverAimsAtMembersOfTheView() throws Exception
    {
        Random r = new Random(7);
        Candidates c = new Candidates();
        for (int n = 0; n < CLUSTERS; n++)
        {
            Cluster cluster = randomCluster(r);
            ClusterView view = cluster.view();
            for (int k = 0; k < 20; k++)
            {
                StringBuilder text = new StringBuilder();
                for (int s = 1 + r.nextInt(6); s > 0; s--)
                    text.append(randomLine(r, view)).append('\n');
                Chain chain = ChainParser.standard().parse(text.toString());
                RequestView request = randomRequest(r, view);
                int maxTargets = 1 + r.nextInt(4);
                Decision d = chain.decide(view, c, request, new DecisionContext(cluster.now(),
                    new SplittableRandom(r.nextLong()), view, true), maxTargets);
                String where = "chain [" + text.toString().replace('\n', ';') + "] -> " + d.kind() + " " + d.targetList();
                assertNotNull(d.kind());
                switch (d.kind())
                {
                    case DECLINED, UNAVAILABLE -> assertEquals(0, d.targets().length, where);
                    case LOCAL -> assertSame(view.self(), d.target(), where);
                    case REDIRECT ->
                    {
                        assertEquals(1, d.targets().length, where);
                        assertFalse(d.target().isSelf(), "never a redirect to ourselves: " + where);
                    }
                    case PROXY -> assertFalse(d.target().isSelf(), where);
                }
                assertTrue(d.targets().length <= maxTargets, where);
                Set<Member> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
                for (int i = 0; i < d.targets().length; i++)
                {
                    Member m = d.targets()[i];
                    assertTrue(view.members().contains(m), "a target outside the view: " + where);
                    assertTrue(distinct.add(m), where);
                    if (i > 0)
                        assertFalse(m.isSelf(), "this node is never a fallback: " + where);
                    assertFalse(!m.isSelf() && m.ledger().isDown(), "a peer that refused a connection: " + where);
                }
                if (d.kind() == Decision.Kind.UNAVAILABLE)
                    assertTrue(text.indexOf("removeSelf") >= 0, where);
            }
        }
    }

    @Test
    void candidatesRefuseAMemberFromOutsideTheView() throws Exception
    {
        Cluster a = randomCluster(new Random(1));
        Cluster b = randomCluster(new Random(2));
        Candidates c = new Candidates().reset(a.view());
        Member stranger = b.view().self();
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> c.add(stranger));
        assertTrue(e.getMessage().contains("is not in the cluster view"), e.getMessage());
        Member first = a.view().members().get(0);
        c.truncate(0);
        c.add(first);
        IllegalArgumentException twice = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> c.add(first));
        assertTrue(twice.getMessage().contains("already a candidate"), twice.getMessage());
    }

    private static boolean contains(List<Member> list, Member m)
    {
        for (Member x : list)
        {
            if (x == m)
                return true;
        }
        return false;
    }
}
