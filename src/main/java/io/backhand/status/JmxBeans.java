package io.backhand.status;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import io.backhand.candidacy.Chain;
import io.backhand.cluster.DropReason;
import io.backhand.cluster.Member;
import io.backhand.stats.NodeState;
import io.backhand.node.Backhand;
import io.backhand.node.FilterCounters;
import io.backhand.node.FilterSetup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the cluster and filter MXBeans of one context in the platform MBean server, and removes them when
 * the context stops. Names carry the context so that several Backhand contexts in one JVM do not collide.
 */
public final class JmxBeans
{
    private static final Logger LOG = LoggerFactory.getLogger("backhand.stats");
    private final List<ObjectName> registered = new ArrayList<>();

    static String contextKey(String contextPath)
    {
        return contextPath.isEmpty() ? "ROOT" : contextPath;
    }

    public void register(Backhand backhand, String contextPath)
    {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        String context = ObjectName.quote(contextKey(contextPath));
        String node = ObjectName.quote(backhand.settings().nodeName());
        try
        {
            ObjectName cluster = new ObjectName("io.backhand:type=Cluster,node=" + node + ",context=" + context);
            server.registerMBean(new ClusterBean(backhand), cluster);
            registered.add(cluster);
            for (FilterSetup f : backhand.filters().values())
            {
                ObjectName name = new ObjectName("io.backhand:type=Filter,node=" + node + ",context=" + context
                    + ",name=" + ObjectName.quote(f.filterName()));
                server.registerMBean(new FilterBean(f), name);
                registered.add(name);
            }
        }
        catch (JMException e)
        {
            // JMX is an extra window on the same data; a clash (two contexts with one name) must not stop the node.
            LOG.warn("Could not register Backhand's MBeans: {}", e.toString());
        }
    }

    public void unregister()
    {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        for (ObjectName n : registered)
        {
            try
            {
                server.unregisterMBean(n);
            }
            catch (JMException e)
            {
                LOG.debug("unregister {}", n, e);
            }
        }
        registered.clear();
    }

    private static final class ClusterBean implements ClusterMXBean
    {
        private final Backhand backhand;

        ClusterBean(Backhand backhand)
        {
            this.backhand = backhand;
        }

        @Override
        public String getNodeName()
        {
            return backhand.settings().nodeName();
        }

        @Override
        public String getState()
        {
            return backhand.stats().state().word();
        }

        @Override
        public int getMemberCount()
        {
            return backhand.stats().view().size();
        }

        @Override
        public List<MemberInfo> getMembers()
        {
            long now = System.nanoTime();
            List<MemberInfo> out = new ArrayList<>();
            for (Member m : backhand.stats().view().members())
            {
                var s = m.stats();
                var l = m.ledger();
                out.add(new MemberInfo(m.name(), m.contact().getAddress().getHostAddress(), m.contact().getPort(), m.isSelf(),
                    s.state().word(), m.ageSeconds(now), s.busyWorkers(), m.interpretedBusy(), s.load(), s.cpuIdle1000() / 1000.0,
                    l.proxiedCount(), l.failedCount(), l.retriedCount(), l.inFlight(), l.latency().quantileMicros(0.99)));
            }
            return out;
        }

        @Override
        public long getAcceptedAnnouncements()
        {
            return backhand.stats().drops().acceptedCount();
        }

        @Override
        public Map<String, Long> getDroppedAnnouncements()
        {
            Map<String, Long> out = new TreeMap<>();
            for (Map.Entry<DropReason, Long> e : backhand.stats().drops().snapshot().entrySet())
                out.put(e.getKey().word(), e.getValue());
            return out;
        }

        @Override
        public long getRequestsBackhanded()
        {
            return backhand.tally().requestsBackhanded();
        }

        @Override
        public void drain()
        {
            backhand.stats().setState(NodeState.DRAINING);
        }

        @Override
        public void ready()
        {
            backhand.stats().setState(NodeState.READY);
        }
    }

    private static final class FilterBean implements FilterMXBean
    {
        private final FilterSetup filter;

        FilterBean(FilterSetup filter)
        {
            this.filter = filter;
        }

        @Override
        public List<String> getChain()
        {
            return filter.chain().steps().stream().map(Chain.Step::text).toList();
        }

        @Override
        public List<String> getUrlPatterns()
        {
            return filter.urlPatterns();
        }

        @Override
        public long getServedLocally()
        {
            return filter.counters().total(FilterCounters.Outcome.LOCAL);
        }

        @Override
        public long getProxied()
        {
            return filter.counters().total(FilterCounters.Outcome.PROXIED);
        }

        @Override
        public long getRedirected()
        {
            return filter.counters().total(FilterCounters.Outcome.REDIRECTED);
        }

        @Override
        public long getUnavailable()
        {
            return filter.counters().total(FilterCounters.Outcome.UNAVAILABLE);
        }

        @Override
        public long getFailed()
        {
            return filter.counters().total(FilterCounters.Outcome.FAILED);
        }

        @Override
        public long getRetried()
        {
            return filter.counters().total(FilterCounters.Outcome.RETRIED);
        }
    }
}
