package io.backhand.candidacy;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one line of a chain into steps and words the way Apache split a configuration line, so that
 * mod_backhand lines can be pasted unchanged: words are separated by blanks; a word may be quoted with
 * {@code "} or {@code '} to hold blanks, {@code #} or {@code ;} (a backslash escapes the quote inside); an
 * unquoted {@code #} at the start of a word begins a comment; an unquoted {@code ;} ends a step, so that a
 * whole chain fits on one line ({@code byAge 6; byRandom; byLogWindow; byBusyChildren}).
 *
 * <p>A {@code #} inside a word is part of it, as in Apache, where only a line-initial {@code #} was a comment:
 * {@code byHostname web#2} means the regular expression {@code web#2}.</p>
 */
final class ChainWords
{
    /** One step of a line: its words and its text as written, for messages and the status page. */
    record Step(List<String> words, String text)
    {
    }

    private ChainWords()
    {
    }

    static List<Step> split(String line, int lineNo) throws ChainException
    {
        List<Step> steps = new ArrayList<>();
        List<String> words = new ArrayList<>();
        int stepStart = -1;
        int i = 0;
        int n = line.length();
        while (i < n)
        {
            char ch = line.charAt(i);
            if (Character.isWhitespace(ch))
            {
                i++;
                continue;
            }
            if (ch == '#')
                break;
            if (ch == ';')
            {
                flush(steps, words, line, stepStart, i);
                stepStart = -1;
                i++;
                continue;
            }
            if (stepStart < 0)
                stepStart = i;
            StringBuilder word = new StringBuilder();
            if (ch == '"' || ch == '\'')
            {
                int close = i + 1;
                while (close < n && line.charAt(close) != ch)
                {
                    char c = line.charAt(close);
                    if (c == '\\' && close + 1 < n && line.charAt(close + 1) == ch)
                        close++;
                    word.append(line.charAt(close));
                    close++;
                }
                if (close >= n)
                    throw new ChainException(lineNo, line.substring(i).strip(), "this quote is never closed; expected a "
                        + ch + " before the end of the line");
                i = close + 1;
                if (i < n && !Character.isWhitespace(line.charAt(i)) && line.charAt(i) != ';')
                    throw new ChainException(lineNo, line.substring(stepStart).strip(), "expected a blank or ; after the "
                        + "closing " + ch);
            }
            else
            {
                while (i < n && !Character.isWhitespace(line.charAt(i)) && line.charAt(i) != ';')
                    word.append(line.charAt(i++));
            }
            words.add(word.toString());
        }
        flush(steps, words, line, stepStart, i);
        return steps;
    }

    private static void flush(List<Step> steps, List<String> words, String line, int start, int end)
    {
        if (words.isEmpty())
            return;
        steps.add(new Step(List.copyOf(words), line.substring(start, end).strip()));
        words.clear();
    }
}
