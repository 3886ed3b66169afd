package io.backhand.migrate;

import java.util.List;

/**
 * One element of an httpd.conf as Apache reads it: a directive line or a {@code <Section>} with its
 * children. Names keep the spelling of the file; Apache compares them without regard to case.
 */
sealed interface ConfNode permits ConfNode.Directive, ConfNode.Section
{
    String name();

    List<String> args();

    /** The physical line where the directive or the section's opening tag starts. */
    int line();

    default boolean is(String name)
    {
        return name().equalsIgnoreCase(name);
    }

    record Directive(String name, List<String> args, int line) implements ConfNode
    {
        /** The line as written, arguments unquoted and separated by one space. */
        String text()
        {
            return args.isEmpty() ? name : name + " " + String.join(" ", args);
        }
    }

    record Section(String name, List<String> args, int line, List<ConfNode> children) implements ConfNode
    {
        /** The opening tag as written, for messages: {@code <Directory /var/www>}. */
        String tag()
        {
            return "<" + name + (args.isEmpty() ? "" : " " + String.join(" ", args)) + ">";
        }
    }
}
