from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The benchmarks (docs/performance.md): no models, only the `touzi bench` command, on top of every app."""

    name = "touzi.bench"
    verbose_name = "性能基准"
