package io.backhand.example;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import io.backhand.candidacy.Arguments;
import io.backhand.candidacy.CandidacyFunction;
import io.backhand.candidacy.CandidacyProvider;
import io.backhand.candidacy.Candidates;
import io.backhand.candidacy.Chain;
import io.backhand.candidacy.ChainException;
import io.backhand.candidacy.ChainParser;
import io.backhand.candidacy.FunctionRegistry;
import io.backhand.candidacy.RequestView;
import io.backhand.candidacy.TestCluster;
import io.backhand.cluster.ClusterView;
import io.backhand.demo.EmbeddedNode;
import io.backhand.testing.Http;
import io.backhand.testing.Net;
import io.backhand.testing.Wait;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plug-in path as an operator uses it: the example is packaged, at test time, into a real jar with its
 * {@code META-INF/services} entry, and loaded from that jar alone (the test class path is hidden from the jar's
 * loader), so that {@code byRack} becomes a function by name, in the parser and in a deployed balancer.
 */
@Tag("cluster")
class ByRackPluginJarTest
{
    private static final String PACKAGE = "io/backhand/example/";
    private static final String SERVICES = "META-INF/services/" + CandidacyProvider.class.getName();

    @TempDir
    Path dir;

    /** A provider that tries to take over a built-in name; it must be refused. */
    public static final class ImpostorProvider implements CandidacyProvider
    {
        @Override
        public String directive()
        {
            return "byAge";
        }

        @Override
        public CandidacyFunction create(Arguments arguments)
        {
            return (c, r, x) -> c.truncate(0);
        }
    }

    /** Packs the compiled example classes and a service file naming {@code providers} into a jar. */
    private Path jar(String name, String... providers) throws IOException
    {
        Path classes = Path.of(URI(ByRack.class)).resolve(PACKAGE);
        Path jar = dir.resolve(name);
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
             Stream<Path> files = Files.list(classes))
        {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("ByRack")
                && p.getFileName().toString().endsWith(".class")).toList())
            {
                if (f.getFileName().toString().contains("Test") && !f.getFileName().toString().contains("ImpostorProvider"))
                    continue;
                out.putNextEntry(new JarEntry(PACKAGE + f.getFileName()));
                Files.copy(f, out);
                out.closeEntry();
            }
            out.putNextEntry(new JarEntry(SERVICES));
            OutputStream o = out;
            o.write((String.join("\n", providers) + "\n").getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return jar;
    }

    private static java.net.URI URI(Class<?> c)
    {
        try
        {
            return c.getProtectionDomain().getCodeSource().getLocation().toURI();
        }
        catch (Exception e)
        {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The test class path minus the example package and any service file: what a webapp without the plug-in
     * jar sees. The jar's loader sits on top of it, as WEB-INF/lib sits beside WEB-INF/classes.
     */
    static final class WithoutTheExample extends ClassLoader
    {
        private final ClassLoader app;

        WithoutTheExample(ClassLoader app)
        {
            super(null);
            this.app = app;
        }

        private static boolean hidden(String resource)
        {
            return resource.startsWith(PACKAGE) || resource.startsWith("META-INF/services/");
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException
        {
            if (hidden(name.replace('.', '/')))
                throw new ClassNotFoundException(name);
            return app.loadClass(name);
        }

        @Override
        protected URL findResource(String name)
        {
            return hidden(name) ? null : app.getResource(name);
        }

        @Override
        protected Enumeration<URL> findResources(String name) throws IOException
        {
            return hidden(name) ? Collections.emptyEnumeration() : app.getResources(name);
        }
    }

    private URLClassLoader loaderFor(Path jar) throws IOException
    {
        return new URLClassLoader(new URL[] {jar.toUri().toURL()}, new WithoutTheExample(getClass().getClassLoader()));
    }

    @Test
    void aJarWithAServiceEntryMakesByRackAFunctionByName() throws Exception
    {
        Path jar = jar("byrack.jar", ByRackProvider.class.getName());
        try (URLClassLoader loader = loaderFor(jar))
        {
            ChainException before = assertThrows(ChainException.class,
                () -> new ChainParser(FunctionRegistry.withPlugins(new WithoutTheExample(getClass().getClassLoader())),
                    getClass().getClassLoader()).parse("byRack ^(r[0-9]+)-"));
            assertEquals("byRack", before.word());

            FunctionRegistry registry = FunctionRegistry.withPlugins(loader);
            assertTrue(registry.directives().contains("byRack"), registry.directives().toString());
            Chain chain = new ChainParser(registry, loader).parse("Backhand removeSelf\nBackhand byRack ^(r[0-9]+)-");
            CandidacyFunction byRack = chain.steps().get(1).function();
            // Loaded from the jar, not from the test class path.
            assertTrue(byRack.getClass().getClassLoader() == loader, String.valueOf(byRack.getClass().getClassLoader()));
            assertEquals(jar.toUri().toURL(), byRack.getClass().getProtectionDomain().getCodeSource().getLocation());

            ClusterView view = TestCluster.create().self("bal", b -> b.hostname("r1-bal"))
                .peer("far", b -> b.hostname("r2-web")).peer("near", b -> b.hostname("r1-web")).view();
            Candidates c = new Candidates().reset(view);
            chain.run(c, RequestView.NONE, TestCluster.context(view));
            assertEquals(List.of("near", "far"), TestCluster.names(c));
        }
    }

    @Test
    void thePluginsOwnComplaintsComeBackWithTheLineAndWord() throws Exception
    {
        try (URLClassLoader loader = loaderFor(jar("byrack.jar", ByRackProvider.class.getName())))
        {
            ChainParser parser = new ChainParser(FunctionRegistry.withPlugins(loader), loader);
            ChainException none = assertThrows(ChainException.class, () -> parser.parse("byAge 6\nbyRack"));
            assertEquals(2, none.line());
            assertEquals("byRack", none.word());
            assertTrue(none.problem().startsWith("byRack expects one argument"), none.getMessage());
            ChainException bad = assertThrows(ChainException.class, () -> parser.parse("byRack (r1"));
            assertEquals("(r1", bad.word());
            assertTrue(bad.problem().contains("Unclosed group"), bad.getMessage());
        }
    }

    @Test
    void aPluginMayNotTakeABuiltInsName() throws Exception
    {
        Path jar = jar("impostor.jar", ByRackProvider.class.getName(), ImpostorProvider.class.getName());
        try (URLClassLoader loader = loaderFor(jar))
        {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> FunctionRegistry.withPlugins(loader));
            assertTrue(e.getMessage().contains("claims the directive 'byAge', which is already taken by the built-in byAge"),
                e.getMessage());
            assertTrue(e.getMessage().contains("impostor.jar"), e.getMessage());
        }
        try (URLClassLoader loader = loaderFor(jar("broken.jar", "io.backhand.example.NoSuchProvider")))
        {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> FunctionRegistry.withPlugins(loader));
            assertTrue(e.getMessage().contains("could not be loaded"), e.getMessage());
        }
    }

    @Test
    void aDeployedBalancerUsesThePluginFromItsClassPath() throws Exception
    {
        String multicast = Net.multicastLine();
        List<EmbeddedNode> nodes = new java.util.ArrayList<>();
        try (URLClassLoader loader = loaderFor(jar("byrack.jar", ByRackProvider.class.getName())))
        {
            EmbeddedNode near = node("r1-app", multicast).start();
            nodes.add(near);
            EmbeddedNode far = node("r2-app", multicast).start();
            nodes.add(far);
            // byRandom alone would spread the requests over both; byRack keeps them in the balancer's rack.
            EmbeddedNode balancer = node("r1-bal", multicast)
                .balance("removeSelf\nbyAge 6\nbyRandom\nbyRack ^(r[0-9]+)-").build();
            // The webapp's class loader is where plug-in jars live (WEB-INF/lib).
            balancer.context().setClassLoader(loader);
            nodes.add(balancer.start());
            Wait.until(Duration.ofSeconds(10), "3 servers in the balancer's map",
                () -> Http.json(balancer.statusUri()).get("servers").size() == 3);
            for (int i = 0; i < 40; i++)
            {
                HttpResponse<String> r = Http.get(balancer.uri().resolve("/rack/" + i));
                assertEquals(200, r.statusCode(), r.body());
                assertEquals("r1-app", r.headers().firstValue("X-Served-By").orElse(null));
            }
            assertEquals(40, near.served());
            assertEquals(0, far.served());
            assertEquals("byRack ^(r[0-9]+)-", Http.json(balancer.statusUri()).get("filters").get(0).get("chain").get(3).asText());
        }
        finally
        {
            for (EmbeddedNode n : nodes)
                n.close();
        }
    }

    private static EmbeddedNode.Builder node(String name, String multicast)
    {
        // No graceful stop: Jetty 12 reports the idle keep-alive connections left by the proxy as a stop timeout.
        return EmbeddedNode.builder(name).stopTimeout(0)
            .param("backhand.multicastStats", multicast)
            .param("backhand.interface", "lo")
            .param("backhand.acceptStats", "127.0.0.0/8");
    }
}
