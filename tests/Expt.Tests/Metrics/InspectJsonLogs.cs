namespace Expt.Tests.Metrics;

/// <summary>
/// Single-file (.json) Inspect logs built from the fields of the real fixtures, in Inspect's own field
/// order (version, status, eval, plan, results, stats, error, samples, reductions).
/// </summary>
internal static class InspectJsonLogs
{
    public const string Success = """
        {
          "version": 2,
          "status": "success",
          "eval": {
            "run_id": "X3kuys5egBfmBhaXyCtp4X",
            "created": "2025-07-05T09:59:48-04:00",
            "task": "popularity",
            "task_id": "EgjQRZxk6Gcz2GUJgtUV6u",
            "task_version": 0,
            "task_file": "examples/popularity.py",
            "task_attribs": {},
            "task_args": {},
            "dataset": {"name": "popularity", "location": "example://popularity", "samples": 100, "sample_ids": [1, 2], "shuffled": false},
            "model": "ollama/gemma3",
            "model_args": {},
            "config": {"limit": 2},
            "packages": {"inspect_ai": "0.3.95"}
          },
          "plan": {"name": "plan", "steps": [{"solver": "generate", "params": {}}], "config": {}},
          "results": {
            "total_samples": 2,
            "completed_samples": 2,
            "scores": [
              {"name": "match", "scorer": "match", "params": {}, "metrics": {
                "accuracy": {"name": "accuracy", "value": 0.5, "params": {}},
                "stderr": {"name": "stderr", "value": 0.5, "params": {}}}},
              {"name": "includes", "scorer": "includes", "params": {}, "metrics": {
                "accuracy": {"name": "accuracy", "value": 1, "params": {}}}}
            ]
          },
          "stats": {"started_at": "2025-07-05T09:59:48-04:00", "completed_at": "2025-07-05T09:59:50-04:00", "model_usage": {}},
          "samples": [
            {"id": 1, "epoch": 1, "input": "Is it?", "target": " Yes", "messages": [], "scores": {"match": {"value": "C"}}},
            {"id": 2, "epoch": 1, "input": "Is it?", "target": " No", "messages": [], "scores": {"match": {"value": "I"}}}
          ],
          "reductions": [{"scorer": "match", "samples": [{"value": 1.0, "sample_id": 1}, {"value": 0.0, "sample_id": 2}]}]
        }
        """;

    public const string Error = """
        {
          "version": 2,
          "status": "error",
          "eval": {
            "created": "2024-11-05T13:32:37-05:00",
            "task": "input_task",
            "task_id": "hxs4q9azL3ySGkjJirypKZ",
            "dataset": {"samples": 1, "sample_ids": [1], "shuffled": false},
            "model": "openai/gpt-4o-mini",
            "config": {}
          },
          "plan": {"name": "plan", "steps": [], "config": {}},
          "results": null,
          "stats": {"started_at": "2024-11-05T13:32:37-05:00", "completed_at": "", "model_usage": {}},
          "error": {"message": "RateLimitError('429 Too Many Requests')", "traceback": "Traceback ...", "traceback_ansi": "Traceback ..."},
          "samples": []
        }
        """;

    /// <summary>Results in the layout of logs from before several scorers: one <c>scorer</c>, top-level <c>metrics</c>.</summary>
    public const string LegacyScorer = """
        {
          "version": 1,
          "status": "success",
          "eval": {"created": "2024-05-01T10:00:00+00:00", "task": "arc", "dataset": {"samples": 5}, "model": "openai/gpt-4", "config": {}},
          "plan": {"name": "plan", "steps": [], "config": {}},
          "results": {
            "scorer": {"name": "match", "params": {}},
            "metrics": {"accuracy": {"name": "accuracy", "value": 0.8, "options": {}}}
          },
          "stats": {"started_at": "2024-05-01T10:00:00+00:00", "completed_at": "2024-05-01T10:01:00+00:00", "model_usage": {}}
        }
        """;
}
