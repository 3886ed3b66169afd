package io.backhand.bench.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the results were measured on: the machine, and the versions of everything compared. */
final class Machine
{
    private Machine()
    {
    }

    static Map<String, String> describe()
    {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("nproc", Integer.toString(Runtime.getRuntime().availableProcessors()));
        m.put("cpu", firstMatch(Path.of("/proc/cpuinfo"), "model name"));
        String mem = firstMatch(Path.of("/proc/meminfo"), "MemTotal");
        m.put("memory", mem.isEmpty() ? "?" : String.format("%.1f GiB", Long.parseLong(mem.replaceAll("[^0-9]", "")) / 1048576.0));
        m.put("kernel", command(List.of("uname", "-sr")));
        m.put("os", firstMatch(Path.of("/etc/os-release"), "PRETTY_NAME").replace("\"", ""));
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("loadAverageAtStart", read(Path.of("/proc/loadavg")).strip());
        return m;
    }

    static Map<String, String> peerVersions()
    {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("nginx", command(List.of("nginx", "-v")).replace("nginx version: ", ""));
        v.put("haproxy", command(List.of("haproxy", "-v")).lines().findFirst().orElse("?"));
        v.put("apache2", command(List.of("apache2", "-v")).lines().findFirst().orElse("?").replace("Server version: ", ""));
        v.put("wrk", command(List.of("wrk", "-v")).lines().findFirst().orElse("?"));
        v.put("jetty", org.eclipse.jetty.util.Jetty.VERSION);
        return v;
    }

    static String loadAverage()
    {
        return read(Path.of("/proc/loadavg")).strip();
    }

    private static String firstMatch(Path file, String key)
    {
        return read(file).lines().filter(l -> l.startsWith(key)).map(l -> l.substring(l.indexOf(l.contains(":") ? ':' : '=') + 1).strip())
            .findFirst().orElse("");
    }

    private static String read(Path file)
    {
        try
        {
            return Files.readString(file);
        }
        catch (IOException e)
        {
            return "";
        }
    }

    static String command(List<String> cmd)
    {
        try
        {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            p.waitFor();
            return out;
        }
        catch (IOException e)
        {
            return "not installed";
        }
        catch (InterruptedException e)
        {
            Thread.currentThread().interrupt();
            return "?";
        }
    }
}
