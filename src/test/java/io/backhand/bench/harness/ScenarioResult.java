package io.backhand.bench.harness;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What one scenario produced: its trials, and the figures derived from them that the report and the targets read. */
final class ScenarioResult
{
    final String id;
    final String title;
    final List<TrialRecord> trials = new ArrayList<>();
    final Map<String, Object> summary = new LinkedHashMap<>();
    final List<String> notes = new ArrayList<>();
    final List<String> markdown = new ArrayList<>();

    ScenarioResult(String id, String title)
    {
        this.id = id;
        this.title = title;
    }
}
