package io.backhand.proxy;

import io.backhand.candidacy.RequestView;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The servlet request as candidacy functions see it. Query and path parameters are read from the raw URI,
 * never through {@code getParameter}, which would consume a form body that the proxy still has to send.
 */
public final class ServletRequestView implements RequestView
{
    private HttpServletRequest request;

    ServletRequestView reset(HttpServletRequest request)
    {
        this.request = request;
        return this;
    }

    @Override
    public String method()
    {
        return request.getMethod();
    }

    @Override
    public String path()
    {
        return request.getRequestURI();
    }

    @Override
    public String header(String name)
    {
        return request.getHeader(name);
    }

    @Override
    public String cookie(String name)
    {
        if (request.getHeader("Cookie") == null)
            return null;
        Cookie[] cookies = request.getCookies();
        if (cookies == null)
            return null;
        for (Cookie c : cookies)
        {
            if (c.getName().equals(name))
                return c.getValue();
        }
        return null;
    }

    @Override
    public String queryParameter(String name)
    {
        return parameter(request.getQueryString(), name, '&');
    }

    @Override
    public String pathParameter(String name)
    {
        String uri = request.getRequestURI();
        int semi = uri.indexOf(';');
        if (semi < 0)
            return null;
        String params = uri.substring(semi + 1);
        int slash = params.indexOf('/');
        if (slash >= 0)
            params = params.substring(0, slash);
        return parameter(params, name, ';');
    }

    public static String parameter(String text, String name, char separator)
    {
        if (text == null)
            return null;
        int start = 0;
        while (start <= text.length())
        {
            int end = text.indexOf(separator, start);
            if (end < 0)
                end = text.length();
            int eq = text.indexOf('=', start);
            if (eq > start && eq < end && text.regionMatches(start, name, 0, name.length()) && eq - start == name.length())
                return text.substring(eq + 1, end);
            start = end + 1;
        }
        return null;
    }
}
