package io.backhand.candidacy;

import java.util.HashMap;
import java.util.Map;

/** A request as candidacy functions see it, with the cookies and parameters a test gives it. */
public final class TestRequest implements RequestView
{
    private final Map<String, String> cookies = new HashMap<>();
    private final Map<String, String> query = new HashMap<>();
    private final Map<String, String> pathParams = new HashMap<>();
    private final Map<String, String> headers = new HashMap<>();
    private String path = "/";

    public static TestRequest create()
    {
        return new TestRequest();
    }

    public TestRequest cookie(String name, String value)
    {
        cookies.put(name, value);
        return this;
    }

    public TestRequest query(String name, String value)
    {
        query.put(name, value);
        return this;
    }

    public TestRequest pathParam(String name, String value)
    {
        pathParams.put(name, value);
        return this;
    }

    public TestRequest header(String name, String value)
    {
        headers.put(name.toLowerCase(java.util.Locale.ROOT), value);
        return this;
    }

    public TestRequest path(String p)
    {
        path = p;
        return this;
    }

    @Override
    public String method()
    {
        return "GET";
    }

    @Override
    public String path()
    {
        return path;
    }

    @Override
    public String header(String name)
    {
        return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    @Override
    public String cookie(String name)
    {
        return cookies.get(name);
    }

    @Override
    public String queryParameter(String name)
    {
        return query.get(name);
    }

    @Override
    public String pathParameter(String name)
    {
        return pathParams.get(name);
    }
}
