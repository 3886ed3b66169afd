package io.backhand.candidacy;

import java.util.List;

/**
 * The words after a directive, with helpers that fail in the parser's words: the line, the word, and what
 * was expected.
 */
public final class Arguments
{
    private final String directive;
    private final List<String> words;
    private final int line;

    public Arguments(String directive, List<String> words, int line)
    {
        this.directive = directive;
        this.words = List.copyOf(words);
        this.line = line;
    }

    public String directive()
    {
        return directive;
    }

    public int line()
    {
        return line;
    }

    public List<String> words()
    {
        return words;
    }

    public int count()
    {
        return words.size();
    }

    /** Fails when more than {@code max} words were given. */
    public Arguments atMost(int max, String usage) throws ChainException
    {
        if (words.size() > max)
            throw new ChainException(line, words.get(max), directive + " takes " + (max == 0 ? "no arguments" : "at most " + max
                + " argument" + (max > 1 ? "s" : "")) + "; usage: " + usage);
        return this;
    }

    public Arguments exactly(int n, String usage) throws ChainException
    {
        atMost(n, usage);
        if (words.size() < n)
            throw new ChainException(line, directive, "missing argument; usage: " + usage);
        return this;
    }

    public String word(int i)
    {
        return words.get(i);
    }

    /** The i-th word as a number in [min, max], or {@code defaultValue} when absent. */
    public double number(int i, double defaultValue, double min, double max, String meaning) throws ChainException
    {
        if (i >= words.size())
            return defaultValue;
        String w = words.get(i);
        double v;
        try
        {
            v = Double.parseDouble(w);
        }
        catch (NumberFormatException e)
        {
            throw new ChainException(line, w, directive + " expects " + meaning + ", a number from " + fmt(min) + " to "
                + fmt(max));
        }
        if (!Double.isFinite(v) || v < min || v > max || w.endsWith("d") || w.endsWith("f") || w.endsWith("D") || w.endsWith("F"))
            throw new ChainException(line, w, directive + " expects " + meaning + ", a number from " + fmt(min) + " to "
                + fmt(max));
        return v;
    }

    private static String fmt(double d)
    {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
