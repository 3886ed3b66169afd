package io.backhand.candidacy;

/**
 * How to answer with a redirect instead of proxying: to the winner's address, or to a name built from its
 * hostname with {@code format} ({@code %s} is the hostname).
 */
public record Redirect(boolean byName, String format)
{
    public static final Redirect TO_IP = new Redirect(false, null);

    public static Redirect toName(String format)
    {
        return new Redirect(true, format);
    }
}
