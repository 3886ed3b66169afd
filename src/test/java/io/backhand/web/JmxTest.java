package io.backhand.web;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;

import io.backhand.demo.EmbeddedNode;
import io.backhand.testing.Http;
import io.backhand.testing.Net;
import io.backhand.testing.Wait;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cluster view and the counters are visible over JMX, and go away with the context. */
@Tag("cluster")
class JmxTest
{
    private static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();

    @Test
    void clusterAndFilterBeansShowTheViewAndTheCounters() throws Exception
    {
        String multicast = Net.multicastLine();
        String nodeName = "jmx-app-" + System.nanoTime();
        String balancerName = "jmx-bal-" + System.nanoTime();
        ObjectName cluster = new ObjectName("io.backhand:type=Cluster,node=\"" + balancerName + "\",context=\"ROOT\"");
        ObjectName filter = new ObjectName("io.backhand:type=Filter,node=\"" + balancerName + "\",context=\"ROOT\",name=\"backhand\"");
        try (EmbeddedNode app = node(nodeName, multicast).start();
             EmbeddedNode balancer = node(balancerName, multicast).balance("removeSelf\nbyAge 6\nbyBusyChildren").start())
        {
            Wait.until(Duration.ofSeconds(10), "the app node in the balancer's view",
                () -> ((Integer) attr(cluster, "MemberCount")) == 2);
            for (int i = 0; i < 5; i++)
                assertEquals(200, Http.get(balancer.uri().resolve("/j" + i)).statusCode());
            // The proxy closes its books when Jetty's client completes, which may be just after the client read the answer.
            Wait.until(Duration.ofSeconds(5), "5 proxied requests counted", () -> (Long) attr(filter, "Proxied") == 5L);
            CompositeData[] members = (CompositeData[]) attr(cluster, "Members");
            CompositeData appRow = null;
            for (CompositeData m : members)
            {
                if (m.get("name").equals(nodeName))
                    appRow = m;
            }
            assertTrue(appRow != null, "the app node is listed");
            assertEquals(5L, appRow.get("proxied"));
            assertEquals(5L, attr(filter, "Proxied"));
            assertEquals("ready", attr(cluster, "State"));
            TabularData drops = (TabularData) attr(cluster, "DroppedAnnouncements");
            assertTrue(drops.size() >= 9, "every drop reason is listed");

            JMX.invoke(cluster, "drain", new Object[0], new String[0]);
            assertEquals("draining", attr(cluster, "State"));
            JMX.invoke(cluster, "ready", new Object[0], new String[0]);
            assertEquals("ready", attr(cluster, "State"));
        }
        Set<ObjectName> left = JMX.queryNames(new ObjectName("io.backhand:node=\"" + balancerName + "\",*"), null);
        assertEquals(Set.of(), left, "MBeans must be unregistered when the context stops");
    }

    private static Object attr(ObjectName name, String attribute)
    {
        try
        {
            return JMX.getAttribute(name, attribute);
        }
        catch (Exception e)
        {
            throw new AssertionError(e);
        }
    }

    private static EmbeddedNode.Builder node(String name, String multicast)
    {
        return EmbeddedNode.builder(name).param("backhand.multicastStats", multicast).param("backhand.interface", "lo")
            .param("backhand.acceptStats", "127.0.0.0/8");
    }
}
