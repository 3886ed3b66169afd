package io.backhand.netns;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Builds the root webapp of a host from the compiled {@link RecorderServlet} and a web.xml naming its record file. */
final class RecorderWebapp
{
    private RecorderWebapp()
    {
    }

    static void install(Path jettyBase, String nodeName, Path recordFile) throws IOException
    {
        Path webInf = Files.createDirectories(jettyBase.resolve("webapps/ROOT/WEB-INF"));
        String classFile = RecorderServlet.class.getName().replace('.', '/') + ".class";
        Path target = webInf.resolve("classes").resolve(classFile);
        Files.createDirectories(target.getParent());
        try
        {
            Path compiled = Path.of(RecorderServlet.class.getClassLoader().getResource(classFile).toURI());
            Files.copy(compiled, target, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (URISyntaxException | RuntimeException e)
        {
            throw new IOException("cannot find the compiled " + classFile + " (run from target/test-classes)", e);
        }
        Files.writeString(webInf.resolve("web.xml"), """
            <?xml version="1.0" encoding="UTF-8"?>
            <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0" metadata-complete="true">
              <context-param><param-name>recorder.nodeName</param-name><param-value>%s</param-value></context-param>
              <context-param><param-name>recorder.file</param-name><param-value>%s</param-value></context-param>
              <servlet>
                <servlet-name>recorder</servlet-name>
                <servlet-class>%s</servlet-class>
              </servlet>
              <servlet-mapping><servlet-name>recorder</servlet-name><url-pattern>/</url-pattern></servlet-mapping>
            </web-app>
            """.formatted(nodeName, recordFile.toAbsolutePath(), RecorderServlet.class.getName()));
    }
}
