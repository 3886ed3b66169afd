package io.backhand.bench.harness;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import io.backhand.bench.peers.Backend;

/**
 * Jetty's own reverse proxies with no Backhand at all, in a stock jetty-home ({@link JettyHome}), as baselines for
 * scenario 1: what the same container costs per request without our filter, and without the servlet layer.
 * jetty-home's defaults throughout, but for where it listens and the listen backlog every contender gets. Each
 * proxies every request to the first backend. The jetty-bases are written under the run folder's jetty/.
 */
record JettyProxyContender(String label, Kind kind) implements Contender
{
    enum Kind
    {
        /** A WAR of nothing but a web.xml mapping AsyncProxyServlet.Transparent to /*, in the ee10 environment. */
        BARE_WAR,
        /** A context XML in the core environment whose handler is ProxyHandler.Reverse: no servlet layer. */
        CORE
    }

    static JettyProxyContender bareWar()
    {
        return new JettyProxyContender("jetty AsyncProxyServlet (bare WAR)", Kind.BARE_WAR);
    }

    static JettyProxyContender core()
    {
        return new JettyProxyContender("jetty ProxyHandler (core)", Kind.CORE);
    }

    @Override
    public Running start(Env env, Cluster cluster, List<Backend> backends, int count, String cpus) throws Exception
    {
        JettyHome.requireBuilt();
        String target = "http://" + backends.get(0).hostPort();
        List<Proc> procs = new ArrayList<>();
        List<Path> bases = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        Runnable stop = () ->
        {
            procs.forEach(Proc::close);
            bases.forEach(JettyHome::trim);
        };
        try
        {
            String slug = label.replaceAll("[^A-Za-z0-9]+", "-").replaceAll("-$", "");
            for (int i = 0; i < count; i++)
            {
                String name = slug + "-" + (i + 1);
                Path base = JettyHome.newBase(env, name);
                bases.add(base);
                int port = Env.freeTcpPort();
                ports.add(port);
                writeBase(base, kind, target, port);
                procs.add(JettyHome.launch(env, cpus, base));
            }
            List<String> entries = new ArrayList<>();
            for (int i = 0; i < count; i++)
            {
                JettyHome.awaitStarted(procs.get(i), ports.get(i));
                entries.add("http://" + JettyHome.HOST + ":" + ports.get(i) + "/");
            }
            for (String entry : entries)
            {
                Coverage.await(label, entry, backends.subList(0, 1));
                env.warmJvm(entry);
            }
            return new Started(entries, procs.stream().map(Proc::pid).toList(), stop);
        }
        catch (Exception e)
        {
            stop.run();
            throw e;
        }
    }

    /** Fills a jetty-base (start.d and webapps already there) with the proxy of this kind, listening on loopback. */
    static void writeBase(Path base, Kind kind, String target, int port) throws IOException
    {
        List<String> ini = new ArrayList<>(List.of("--module=http"));
        ini.addAll(JettyHome.listenLines(port));
        ini.add("# Environment modules last: start.jar gives the properties that follow one to that environment.");
        if (kind == Kind.BARE_WAR)
        {
            ini.add("--module=ee10-deploy");
            bareWar(base.resolve("webapps/ROOT.war"), target);
            Files.writeString(base.resolve("webapps/ROOT.properties"), "environment=ee10\n");
        }
        else
        {
            ini.addAll(List.of("--module=proxy", "--module=core-deploy"));
            Files.writeString(base.resolve("webapps/ROOT.xml"), coreContext(target));
            Files.writeString(base.resolve("webapps/ROOT.properties"), "environment=core\n");
        }
        Files.write(base.resolve("start.d/proxy.ini"), ini);
    }

    /**
     * Writes one such jetty-base for a script (bench/stock-proxies): {@code BASE BARE_WAR|CORE TARGET PORT}, run
     * from the project's directory (the bare WAR takes its jars from target/backhand.war).
     */
    public static void main(String[] args) throws IOException
    {
        Path base = Path.of(args[0]);
        Files.createDirectories(base.resolve("start.d"));
        Files.createDirectories(base.resolve("webapps"));
        writeBase(base, Kind.valueOf(args[1]), args[2], Integer.parseInt(args[3]));
    }

    /**
     * The bare WAR: its web.xml, and in WEB-INF/lib the Jetty proxy and client jars (and SLF4J) that backhand.war
     * carries, the same files, because a webapp cannot see the container's org.eclipse.jetty classes.
     */
    private static void bareWar(Path war, String target) throws IOException
    {
        String webXml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0" metadata-complete="true">
              <servlet>
                <servlet-name>proxy</servlet-name>
                <servlet-class>org.eclipse.jetty.ee10.proxy.AsyncProxyServlet$Transparent</servlet-class>
                <init-param><param-name>proxyTo</param-name><param-value>%s</param-value></init-param>
                <load-on-startup>1</load-on-startup>
                <async-supported>true</async-supported>
              </servlet>
              <servlet-mapping>
                <servlet-name>proxy</servlet-name>
                <url-pattern>/*</url-pattern>
              </servlet-mapping>
            </web-app>
            """.formatted(target);
        try (ZipFile backhand = new ZipFile(JettyHome.war().toFile());
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(war)))
        {
            out.putNextEntry(new ZipEntry("WEB-INF/web.xml"));
            out.write(webXml.getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
            int jars = 0;
            for (ZipEntry e : Collections.list(backhand.entries()))
            {
                String n = e.getName();
                if (!n.startsWith("WEB-INF/lib/jetty-") && !n.startsWith("WEB-INF/lib/slf4j-"))
                    continue;
                out.putNextEntry(new ZipEntry(n));
                try (InputStream in = backhand.getInputStream(e))
                {
                    in.transferTo(out);
                }
                out.closeEntry();
                jars++;
            }
            if (jars == 0)
                throw new IllegalStateException(JettyHome.war() + " carries no Jetty jars to build the bare proxy WAR from");
        }
    }

    private static String coreContext(String target)
    {
        // ProxyHandler.Reverse(regex, replacement) rewrites the whole request URI: scheme and authority to the backend's.
        return """
            <?xml version="1.0"?>
            <!DOCTYPE Configure PUBLIC "-//Jetty//Configure//EN" "https://jetty.org/configure_10_0.dtd">
            <Configure class="org.eclipse.jetty.server.handler.ContextHandler">
              <Set name="contextPath">/</Set>
              <Set name="handler">
                <New class="org.eclipse.jetty.proxy.ProxyHandler$Reverse">
                  <Arg>^https?://[^/]+</Arg>
                  <Arg>%s</Arg>
                </New>
              </Set>
            </Configure>
            """.formatted(target);
    }
}
